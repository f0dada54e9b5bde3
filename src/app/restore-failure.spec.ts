import { waitFor } from '../../test/support/wait-for';
import { SystemClock } from '../clock/system-clock';
import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { State } from '../decorators/state';
import { TransportError } from '../errors/transport-error';
import { readinessReport } from '../http/readiness-report';
import { SilentLogger } from '../logging/silent-logger';
import { changelogTopicName } from '../model/changelog-topic';
import { StreamService } from '../runtime/stream-service';
import type { StateStore } from '../state/stores/state-store';
import { MemoryBroker } from '../transport/memory/memory-broker';
import { MemoryTransport } from '../transport/memory/memory-transport';
import type { Transport } from '../transport/transport';
import { StreamwiseApp } from './streamwise-app';

const Reservations = defineTopic<{ sku: string; quantity: number }>({
  name: 'restore-failure-reservations',
  entity: 'Reservation',
  key: (reservation) => reservation.sku,
  partitions: 1,
});

@Service('reservation-source')
@OwnsTopic(Reservations)
class ReservationSource extends StreamService {
  reserve(sku: string, quantity: number): Promise<unknown> {
    return this.publish(Reservations, { sku, quantity });
  }
}

/** What the handler saw before each reservation: a restore that was skipped shows up as 0. */
const seenBefore: number[] = [];

@Service('reservation-totals')
class ReservationTotals extends StreamService {
  @State('reserved')
  readonly reserved!: StateStore<string, number>;

  @EventHandler(Reservations)
  reserve(reservation: { sku: string; quantity: number }): void {
    const before = this.reserved.get(reservation.sku) ?? 0;
    seenBefore.push(before);
    this.reserved.put(reservation.sku, before + reservation.quantity);
  }
}

const CHANGELOG = changelogTopicName('reservation-totals', 'reserved');

/** A memory transport whose changelog end-offset lookups fail (NOT_LEADER) while `failing` is set. */
function faultyTransport(broker: MemoryBroker): {
  transport: Transport;
  fail: (on: boolean) => void;
} {
  const inner = new MemoryTransport({ broker, clock: new SystemClock() });
  let failing = false;
  const transport = new Proxy(inner, {
    get(target, property) {
      if (property === 'restoreEndOffsets') {
        return (topic: string) =>
          failing && topic === CHANGELOG
            ? Promise.reject(
                new TransportError(
                  'This server is not the leader for that topic-partition (NOT_LEADER_OR_FOLLOWER).',
                  { retriable: true },
                ),
              )
            : target.restoreEndOffsets(topic);
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value.bind(target) as unknown) : value;
    },
  });
  return { transport, fail: (on) => (failing = on) };
}

describe('a @State restore that fails', () => {
  const apps: StreamwiseApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop()));
    seenBefore.length = 0;
  });

  it('keeps the partition paused (not ready) until the restore succeeds, then handles on restored state', async () => {
    const broker = new MemoryBroker();
    const first = StreamwiseApp.create({
      services: [ReservationSource, ReservationTotals],
      transport: new MemoryTransport({ broker, clock: new SystemClock() }),
      logger: new SilentLogger(),
    });
    apps.push(first);
    await first.start();
    await first.service(ReservationSource).reserve('boots', 2);
    await waitFor(
      () => first.service(ReservationTotals).reserved.get('boots') === 2,
      'the first reservation',
    );
    await first.stop();
    apps.splice(0);

    const faulty = faultyTransport(broker);
    faulty.fail(true);
    const restarted = StreamwiseApp.create({
      services: [ReservationSource, ReservationTotals],
      transport: faulty.transport,
      logger: new SilentLogger(),
    });
    apps.push(restarted);
    await restarted.start();
    await restarted.service(ReservationSource).reserve('boots', 3);

    const report = await waitFor(async () => {
      const answer = await readinessReport(restarted.readiness);
      return answer.body.checks.some((check) =>
        /failed restore attempt\(s\): [2-9]/.test(check.detail ?? ''),
      )
        ? answer
        : undefined;
    }, 'readiness to report repeated failed restores');
    expect(report.status).toBe(503);
    const check = report.body.checks.find((c) => c.name === 'reservation-totals state restore');
    expect(check?.ready).toBe(false);
    expect(check?.detail).toContain('NOT_LEADER');
    expect(check?.detail).toContain(`${Reservations.name}[0]`);
    expect(seenBefore).toEqual([0]);

    faulty.fail(false);
    const totals = restarted.service(ReservationTotals);
    await waitFor(() => totals.reserved.get('boots') === 5, 'the reservation on restored state');
    expect(seenBefore).toEqual([0, 2]);
    expect((await readinessReport(restarted.readiness)).status).toBe(200);
  });
});

import { kafkaBrokers } from '../../test/support/kafka-env';
import { teardownAfterEach } from '../../test/support/teardown';
import { uniqueName } from '../../test/support/unique-name';
import { waitFor } from '../../test/support/wait-for';
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
import { KafkaTransport } from '../transport/kafka/kafka-transport';
import type { Transport } from '../transport/transport';
import { StreamwiseApp } from './streamwise-app';

/** A Kafka transport whose end-offset lookups of `changelog` fail (NOT_LEADER) while failing. */
function faultyKafka(changelog: string): { transport: Transport; fail: (on: boolean) => void } {
  const inner = new KafkaTransport({
    brokers: kafkaBrokers(),
    logger: new SilentLogger(),
    kafkaLogLevel: 'nothing',
    consumer: { maxWaitTimeMs: 100 },
  });
  let failing = false;
  const transport = new Proxy(inner, {
    get(target, property) {
      if (property === 'restoreEndOffsets') {
        return (topic: string) =>
          failing && topic === changelog
            ? Promise.reject(
                new TransportError('NOT_LEADER_OR_FOLLOWER (injected)', { retriable: true }),
              )
            : target.restoreEndOffsets(topic);
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value.bind(target) as unknown) : value;
    },
  });
  return { transport, fail: (on) => (failing = on) };
}

describe('a @State restore that fails on Kafka', () => {
  jest.setTimeout(90_000);
  const teardown = teardownAfterEach();

  it('keeps the partition paused and not ready until the restore succeeds, then handles on restored state', async () => {
    const Reservations = defineTopic<{ sku: string; quantity: number }>({
      name: uniqueName('reservations'),
      entity: 'Reservation',
      key: (reservation) => reservation.sku,
      partitions: 1,
    });
    const seenBefore: number[] = [];
    const totalsName = uniqueName('reservation-totals').toLowerCase();

    @Service(uniqueName('reservation-source').toLowerCase())
    @OwnsTopic(Reservations)
    class ReservationSource extends StreamService {
      reserve(sku: string, quantity: number): Promise<unknown> {
        return this.publish(Reservations, { sku, quantity });
      }
    }

    @Service(totalsName)
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

    const faulty = faultyKafka(changelogTopicName(totalsName, 'reserved'));
    const create = (): StreamwiseApp =>
      StreamwiseApp.create({
        services: [ReservationSource, ReservationTotals],
        transport: faulty.transport,
        logger: new SilentLogger(),
        http: false,
      });
    const first = create();
    await first.start();
    try {
      await first.service(ReservationSource).reserve('boots', 2);
      await waitFor(
        () => first.service(ReservationTotals).reserved.get('boots') === 2,
        'the first reservation',
      );
    } finally {
      await first.stop();
    }

    faulty.fail(true);
    const restarted = teardown.add('the restarted app', create(), (app) => app.stop());
    await restarted.start();
    await restarted.service(ReservationSource).reserve('boots', 3);
    const report = await waitFor(async () => {
      const answer = await readinessReport(restarted.readiness);
      const failed = answer.body.checks.some((check) =>
        /failed restore attempt\(s\): [2-9]/.test(check.detail ?? ''),
      );
      return failed ? answer : undefined;
    }, 'readiness to report repeated failed restores');
    expect(report.status).toBe(503);
    expect(seenBefore).toEqual([0]);

    faulty.fail(false);
    const totals = restarted.service(ReservationTotals);
    await waitFor(() => totals.reserved.get('boots') === 5, 'the reservation on restored state');
    expect(seenBefore).toEqual([0, 2]);
  });
});

import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { DuplicateTopicOwnerError } from '../errors/duplicate-topic-owner-error';
import { SingleWriterViolationError } from '../errors/single-writer-violation-error';
import { DeadLetterHeaderNames } from '../model/topics/header-names';
import { StreamService } from '../runtime/stream-service';
import { TestBed } from '../testing/test-bed';
import { MemoryTransport } from '../transport/memory/memory-transport';
import { StreamwiseApp } from './streamwise-app';

interface Payment {
  id: string;
  amount: number;
}
const Payments = defineTopic<Payment>({ name: 'payments', entity: 'Payment', key: (p) => p.id });

@Service('payments-service')
@OwnsTopic(Payments)
class PaymentsService extends StreamService {
  pay(payment: Payment) {
    return this.publish(Payments, payment);
  }
}

@Service('rogue-service')
class RogueService extends StreamService {
  forge(payment: Payment) {
    return this.publish(Payments, payment);
  }
}

@Service('ledger-service')
class LedgerService extends StreamService {
  readonly entries: Payment[] = [];

  @EventHandler(Payments)
  record(payment: Payment): void {
    this.entries.push(payment);
  }
}

describe('the single writer (principle 5)', () => {
  let bed: TestBed | undefined;
  afterEach(async () => {
    await bed?.stop();
    bed = undefined;
  });

  it('(a) refuses a publish to a topic the service does not own, naming the owner and the fix, and sends nothing', async () => {
    bed = await TestBed.start([PaymentsService, RogueService, LedgerService]);
    const attempt = bed.service(RogueService).forge({ id: 'p-1', amount: 5 });
    await expect(attempt).rejects.toBeInstanceOf(SingleWriterViolationError);
    await expect(attempt).rejects.toThrow(
      'Service "rogue-service" may not publish to topic "payments": its single writer is "payments-service". Nothing was sent. Call "payments-service"',
    );
    await bed.drain();
    expect(bed.topic(Payments).count).toBe(0);
  });

  it('(a) tells a service with no owner in the app to declare @OwnsTopic or call the owner', async () => {
    bed = await TestBed.start([RogueService]);
    await expect(bed.service(RogueService).forge({ id: 'p-1', amount: 5 })).rejects.toThrow(
      'no service in this app owns it, and "rogue-service" does not declare @OwnsTopic(payments)',
    );
  });

  it('(b) fails at start-up when two services claim one topic', () => {
    @Service('shadow-payments')
    @OwnsTopic(Payments)
    class ShadowPayments extends StreamService {}

    const create = () =>
      StreamwiseApp.create({
        services: [PaymentsService, ShadowPayments],
        transport: new MemoryTransport(),
      });
    expect(create).toThrow(DuplicateTopicOwnerError);
    expect(create).toThrow(
      'Topic "payments" is claimed by "payments-service" and "shadow-payments"',
    );
  });

  it('(b) fails when an external owner and a service in the app claim the same topic', () => {
    expect(() =>
      StreamwiseApp.create({
        services: [PaymentsService],
        transport: new MemoryTransport(),
        owners: { payments: 'legacy-payments' },
      }),
    ).toThrow(DuplicateTopicOwnerError);
  });

  it('(c) dead-letters records whose producer is not the owner, by default', async () => {
    bed = await TestBed.start([PaymentsService, LedgerService]);
    await bed.sendRaw(Payments, {
      key: 'p-9',
      value: JSON.stringify({ id: 'p-9', amount: 1 }),
      headers: { 'sw-producer': 'rogue-service' },
    });
    await bed.service(PaymentsService).pay({ id: 'p-10', amount: 2 });
    await bed.drain();
    expect(bed.service(LedgerService).entries).toEqual([{ id: 'p-10', amount: 2 }]);
    const [dead] = bed.deadLetters(Payments).records();
    expect(dead.value).toEqual({ id: 'p-9', amount: 1 });
    expect(dead.headers[DeadLetterHeaderNames.REASON]).toBe('foreign-producer');
    expect(dead.headers[DeadLetterHeaderNames.ERROR_CODE]).toBe('SW_FOREIGN_PRODUCER');
  });

  it("(c) only warns when the consumer says onForeignProducer: 'warn'", async () => {
    @Service('lenient-ledger', { onForeignProducer: 'warn' })
    class LenientLedger extends StreamService {
      readonly entries: Payment[] = [];
      @EventHandler(Payments)
      record(payment: Payment): void {
        this.entries.push(payment);
      }
    }
    const warnings: string[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => void warnings.push(message),
      error: () => undefined,
      child: () => logger,
    };
    bed = await TestBed.start([PaymentsService, LenientLedger], { logger });
    await bed.sendRaw(Payments, {
      key: 'p-9',
      value: JSON.stringify({ id: 'p-9', amount: 1 }),
      headers: { 'sw-producer': 'rogue-service' },
    });
    await bed.drain();
    expect(bed.service(LenientLedger).entries).toEqual([{ id: 'p-9', amount: 1 }]);
    expect(warnings).toContain('record written by a service that does not own the topic');
    expect(bed.deadLetters(Payments).count).toBe(0);
  });

  it('(c) checks topics owned outside the app against the configured owners', async () => {
    bed = await TestBed.start([LedgerService], { owners: { payments: 'payments-service' } });
    await bed.send(Payments, { id: 'p-1', amount: 1 });
    await bed.sendRaw(Payments, {
      key: 'p-2',
      value: JSON.stringify({ id: 'p-2', amount: 1 }),
      headers: { 'sw-producer': 'intruder' },
    });
    await bed.drain();
    expect(bed.service(LedgerService).entries.map((p) => p.id)).toEqual(['p-1']);
    expect(bed.deadLetters(Payments).count).toBe(1);
  });
});

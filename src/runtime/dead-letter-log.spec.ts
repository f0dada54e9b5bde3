import { RecordingLogger } from '../../test/support/recording-logger';
import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { TestBed } from '../testing/test-bed';
import { StreamService } from './stream-service';

const Payments = defineTopic<{ id: string; amount: number }>({
  name: 'log-payments',
  entity: 'Payment',
  key: (p) => p.id,
  partitions: 1,
  owner: 'log-payer',
});

@Service('log-payer')
@OwnsTopic(Payments)
class Payer extends StreamService {}

@Service('log-ledger')
class Ledger extends StreamService {
  @EventHandler(Payments, { retry: { attempts: 1 } })
  book(payment: { id: string }): void {
    throw new Error(`cannot book ${payment.id}`);
  }
}

describe('dead-letter log lines', () => {
  let bed: TestBed | undefined;
  afterEach(() => bed?.stop());

  it('logs a dead letter at warn with topic, partition, offset, reason and code, and a flood as one line and a summary', async () => {
    const logger = new RecordingLogger();
    bed = await TestBed.start([Payer, Ledger], { logger });
    for (let i = 0; i < 30; i++) await bed.send(Payments, { id: `p${i}`, amount: i });
    await bed.sendRaw(Payments, { key: 'raw', value: '{not json' });
    await bed.drain();

    const lines = (): RecordingLogger['entries'] =>
      logger.entries.filter((e) => e.level === 'warn' && /dead.letter/.test(e.message));
    expect(lines()).toEqual([
      {
        level: 'warn',
        message: 'record dead-lettered',
        fields: {
          topic: 'log-payments',
          partition: 0,
          offset: 0,
          reason: 'handler-failed',
          code: 'Error',
          message: 'cannot book p0',
          handler: 'book',
          attempts: 1,
          deadLetterTopic: 'log-payments.dlq',
        },
      },
      {
        level: 'warn',
        message: 'record dead-lettered',
        fields: expect.objectContaining({
          offset: 30,
          reason: 'undecodable',
          code: 'SW_DESERIALIZATION',
        }) as object,
      },
    ]);

    await bed.stop();
    bed = undefined;
    // The seconds are the wall clock's since the first line: at least 1, more on a slow machine.
    expect(lines().slice(2)).toEqual([
      {
        level: 'warn',
        message: expect.stringMatching(
          /^29 more dead letters on log-payments \(handler-failed\) in the last \d+s$/,
        ) as string,
        fields: expect.objectContaining({ offset: 29, repeated: 29 }) as object,
      },
    ]);
  });
});

import type { Clock } from '../clock/clock';
import type { Logger } from '../logging/logger';
import type { DeadLetterReason } from '../runtime/dead-letter-record';
import { DeadLetterWriter } from '../runtime/dead-letter-writer';
import type { DeliveredRecord, RecordOutput, Transport } from '../transport/transport';

export interface ReplicaDeadLettersContext {
  readonly service: string;
  /** The replica's property: the dead letter's handler. */
  readonly property: string;
  readonly transport: Transport;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Where a replica's records that cannot be applied go: the dead-letter topic of their topic. */
export class ReplicaDeadLetters {
  readonly #writer: DeadLetterWriter;
  readonly #context: ReplicaDeadLettersContext;

  constructor(context: ReplicaDeadLettersContext) {
    this.#writer = new DeadLetterWriter(context.logger);
    this.#context = context;
  }

  /** A record that does not belong on its topic, found while it is handled: through its output. */
  async write(
    record: DeliveredRecord,
    reason: DeadLetterReason,
    error: unknown,
    output?: RecordOutput,
  ): Promise<void> {
    const { transport, clock, service, property } = this.#context;
    // A projection's fold runs while its batch is written, after the record's handling ended: its
    // dead letter is sent directly, and acknowledged before that batch commits.
    const through: RecordOutput = output ?? {
      produce: async (topic, records) => {
        await transport.produce(topic, records);
      },
    };
    await this.#writer.write(record, through, {
      reason,
      error,
      service,
      handler: property,
      attempts: reason === 'handler-failed' ? 1 : 0,
      failedAt: clock.now(),
    });
  }
}

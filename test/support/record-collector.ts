import type { DeliveredRecord } from '../../src/transport/transport';
import { waitFor } from './wait-for';

/** Gathers what a subscription handled, with waits on a count (kafkajs's waitForMessages, for both transports). */
export class RecordCollector {
  readonly records: DeliveredRecord[] = [];

  readonly handle = (record: DeliveredRecord): Promise<void> => {
    this.records.push(record);
    return Promise.resolve();
  };

  async waitForCount(count: number, timeoutMs = 30_000): Promise<DeliveredRecord[]> {
    await waitFor(
      () => this.records.length >= count,
      `${count} records (have ${this.records.length})`,
      { timeoutMs },
    );
    return this.records;
  }

  values(): string[] {
    return this.records.map((r) => r.value?.toString('utf8') ?? '<null>');
  }
}

import type { DeliveredRecord, RecordBatch, RecordOutput } from './transport';

/**
 * A RecordBatch through a per-record `handle`, for subscribers that take no batches: each
 * record awaited, then reported handled, until the batch is halted.
 */
export async function eachRecord(
  handle: (record: DeliveredRecord, output: RecordOutput) => Promise<void>,
  batch: RecordBatch,
): Promise<void> {
  for (const record of batch.records) {
    if (batch.halted()) return;
    const output = batch.output(record);
    await handle(record, output);
    batch.handled(record);
  }
}

import type { DeliveredRecord, RecordBatch, RecordOutput } from '../transport';
import type { BufferedOutput } from './buffered-output';

/** What a PartitionPump is doing; the broker is settled when none is running. */
export type PumpState = 'running' | 'waiting' | 'parked' | 'stopped';

export interface PumpHooks {
  readonly handle: (record: DeliveredRecord, output: RecordOutput) => Promise<void>;
  /** When given, records already in the log go to it together (one at a time still, in order). */
  readonly handleBatch?: (batch: RecordBatch) => Promise<void>;
  /** Called after a record's handler resolved, with the buffered output of an exactly-once handler. */
  readonly complete: (record: DeliveredRecord, transactional: BufferedOutput | undefined) => void;
  readonly stateChanged: () => void;
  /** The pump reached the end of its partition: its position is the end offset. */
  readonly reachedEnd?: (topic: string, partition: number, endOffset: number) => void;
}

export interface PumpOptions {
  /** Records handled at once (SubscriptionOptions.concurrency); 1 is strictly one at a time. */
  readonly concurrency: number;
  /** A new output per record (exactly-once) or the one shared output (at-least-once). */
  readonly output: () => RecordOutput;
}

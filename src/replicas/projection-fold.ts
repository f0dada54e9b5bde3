import type { ReplicaMetadata, ReplicaRecordInfo } from '../model/service/replica-metadata';
import type { DeliveredRecord } from '../transport/transport';
import { canonicalRow, rowParams } from './projection-row';
import type { PendingRules } from './replica-pending';
import type { RowChange, RowResolver } from './replica-table';

/** One record of a projection's input, waiting to be folded into the row of its key. */
export interface ProjectionStep {
  /** The input it came from (its index in the replica's inputs). */
  readonly input: number;
  /** The checked value, null for a tombstone. */
  readonly value: unknown;
  readonly info: ReplicaRecordInfo;
  readonly record: DeliveredRecord;
  /** Its fold threw and that was handled (dead-lettered): a batch written again passes over it. */
  failed?: boolean;
}

/** A projection keeps every record of a key in order: the fold needs each of them. */
export const FOLD_STEPS: PendingRules<ProjectionStep[]> = {
  combine: (older, newer) => [...older, ...newer],
  weight: (steps) => steps.length,
};

/** Told a record whose fold threw; resolves once it was dealt with (dead-lettered, counted). */
export type FoldFailure = (step: ProjectionStep, error: unknown) => Promise<void>;

/**
 * Folds a batch's records into their rows inside the batch's transaction: the rows of its keys are
 * read from the table in one statement (they hold exactly the records below the offsets this
 * transaction locked), then each key's records are applied in the order they were taken in. A
 * record whose fold throws, or returns what the table cannot hold, changes nothing: `failed` is told
 * and the fold goes on with the row as it was.
 */
export function projectionResolver(
  replica: ReplicaMetadata,
  failed: FoldFailure,
): RowResolver<ProjectionStep[]> {
  return async (sql, changes) => {
    const current = new Map<string, Record<string, unknown>>();
    if (changes.size > 0) {
      const { rows } = await sql.query(
        `SELECT * FROM "${replica.table}" WHERE "${replica.keyColumn}" = ANY($1::text[])`,
        [[...changes.keys()]],
      );
      for (const row of rows) {
        const key = String(row[replica.keyColumn]);
        current.set(key, canonicalRow(replica, key, row));
      }
    }
    const result = new Map<string, RowChange>();
    for (const [key, steps] of changes) {
      let row = current.get(key);
      for (const step of steps) {
        if (step.failed === true) continue;
        const { project } = replica.inputs[step.input];
        try {
          if (project === undefined) throw new TypeError('this input has no project function.');
          const next = project(row === undefined ? undefined : { ...row }, step.value, step.info);
          row = next === null ? undefined : canonicalRow(replica, key, next);
        } catch (error) {
          await failed(step, error);
          step.failed = true;
        }
      }
      result.set(key, row === undefined ? null : rowParams(replica, row));
    }
    return result;
  };
}

import type { DeliveredRecord, RecordHeaders } from '../transport/transport';
import { CliUsageError } from './cli-error';
import type { CopiedRecord } from './copy-topic';
import { loadModule } from './load-module';

/** A source record as a migration's transform sees it: the key as text, the value parsed. */
export interface MigrationInput {
  readonly key: string | null;
  /** The JSON value; null for a tombstone. */
  readonly value: unknown;
  readonly headers: Readonly<RecordHeaders>;
  readonly timestamp: number;
  readonly partition: number;
  readonly offset: number;
}

/** What the transform returns; a missing key or headers keeps the source's. */
export interface MigrationOutput {
  readonly key?: string | null;
  /** Written as JSON; null writes a tombstone. */
  readonly value: unknown;
  readonly headers?: RecordHeaders;
}

export type MigrationTransform = (
  record: MigrationInput,
) => MigrationOutput | undefined | Promise<MigrationOutput | undefined>;

/** The default export of the module (JavaScript, or TypeScript through tsx). */
export async function loadTransform(modulePath: string): Promise<MigrationTransform> {
  const exported = await loadModule(modulePath);
  const candidate =
    typeof exported.default === 'function'
      ? exported.default
      : (exported.default as { default?: unknown } | undefined)?.default;
  if (typeof candidate !== 'function')
    throw new CliUsageError(
      `${modulePath} has no default export function: write \`export default (record) => ({ value: ... })\` (return undefined to drop a record).`,
    );
  return candidate as MigrationTransform;
}

/** The transform as the copy engine's map: JSON in, JSON out, keys and headers kept unless set. */
export function migrationMap(
  transform: MigrationTransform,
): (record: DeliveredRecord) => Promise<CopiedRecord | undefined> {
  return async (record) => {
    const output = await transform({
      key: record.key === null ? null : record.key.toString('utf8'),
      value: jsonValue(record),
      headers: record.headers,
      timestamp: record.timestamp,
      partition: record.partition,
      offset: record.offset,
    });
    if (output === undefined) return undefined;
    const keepHeaders = output.headers === undefined;
    return {
      key:
        output.key === undefined
          ? record.key
          : output.key === null
            ? null
            : Buffer.from(output.key, 'utf8'),
      value: output.value === null ? null : Buffer.from(JSON.stringify(output.value), 'utf8'),
      headers: keepHeaders ? record.headers : output.headers,
      ...(keepHeaders && record.rawHeaders !== undefined ? { rawHeaders: record.rawHeaders } : {}),
    };
  };
}

function jsonValue(record: DeliveredRecord): unknown {
  if (record.value === null) return null;
  try {
    return JSON.parse(record.value.toString('utf8')) as unknown;
  } catch {
    throw new CliUsageError(
      `${record.topic}[${record.partition}]@${record.offset} is not a JSON value (schema-registry framed or binary): migrate transforms plain JSON values only.`,
    );
  }
}

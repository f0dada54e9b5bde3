import type { Admin } from 'kafkajs';

import { HeaderNames } from '../src/model/topics/header-names';
import { RELAY_PARTITIONS } from '../test/faults/relay-service';
import { type BenchContext, runName } from './context';
import { createTopics } from './kafka-client';
import { preloadItems } from './preload';
import { endOffsetSum, pollUntil } from './progress';

/** How often the output topic (or the group's commits) is polled while a relay runs. */
export const POLL_MS = 10;

export interface RelayNames {
  readonly input: string;
  readonly output: string;
  readonly group: string;
}

export async function prepareRelay(
  context: BenchContext,
  scenario: string,
  run: string,
  count: number,
): Promise<RelayNames> {
  const names = {
    input: runName(context, scenario, run, 'in'),
    output: runName(context, scenario, run, 'out'),
    group: runName(context, scenario, run, 'group'),
  };
  await createTopics(context.kafka, [names.input, names.output], RELAY_PARTITIONS);
  await preloadItems(context.kafka, names.input, count, RELAY_PARTITIONS);
  return names;
}

export async function withAdmin<T>(
  context: BenchContext,
  work: (admin: Admin) => Promise<T>,
): Promise<T> {
  // One admin per run: kafkajs clients fail once a topic they polled is deleted.
  const admin = context.kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Duplicates show up as more output records than input records (no transactions, no markers). */
export function duplicatesNote(outputRecords: number, expected: number): string | undefined {
  return outputRecords > expected
    ? `${outputRecords - expected} duplicate(s) in the output`
    : undefined;
}

/** Waits until the relay's output topic holds `count` records (its end offsets' sum). */
export async function outputReached(
  context: BenchContext,
  admin: Admin,
  output: string,
  count: number,
): Promise<void> {
  await pollUntil(
    `${count} records in ${output}`,
    () => endOffsetSum(admin, output),
    count,
    POLL_MS,
    context.config.runTimeoutMs,
  );
}

/**
 * The headers streamwise writes on a relayed record (event id, type, schema version, producer),
 * with values of the same shape, for the raw relays that measure what a client's encoding of
 * them costs.
 */
export function envelopeHeaders(
  producer: string,
  key: Buffer | null,
  offset: string,
): Record<string, string> {
  return {
    [HeaderNames.EVENT_ID]: eventIdLike(producer, key, offset),
    [HeaderNames.EVENT_TYPE]: 'Relayed',
    [HeaderNames.SCHEMA_VERSION]: '1',
    [HeaderNames.PRODUCER]: producer,
  };
}

/**
 * The same four values joined into one header (format version, schema version, producer, type,
 * event id): what an envelope of one header would cost the client, against envelopeHeaders.
 */
export function envelopeInOneHeader(
  producer: string,
  key: Buffer | null,
  offset: string,
): Record<string, string> {
  return { 'sw-envelope': `1;1;${producer};Relayed;${eventIdLike(producer, key, offset)}` };
}

function eventIdLike(producer: string, key: Buffer | null, offset: string): string {
  return `${producer}:Relayed:${key?.toString() ?? ''}:v1-${offset.padStart(16, '0')}`;
}

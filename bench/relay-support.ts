import type { Admin } from 'kafkajs';

import { type EnvelopeHeaders, writeEnvelope } from '../src/model/topics/envelope-header';
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
 * The envelope streamwise writes on a relayed record (event id, type, schema version, producer),
 * with values of the same shape and written by the same function, in one header or four as the
 * app option envelopeHeaders says: for the raw relays that measure what a client's encoding of
 * them costs.
 */
export function envelopeHeaders(
  producer: string,
  key: Buffer | null,
  offset: string,
  way: EnvelopeHeaders,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const eventId = eventIdLike(producer, key, offset);
  writeEnvelope(headers, { schemaVersion: '1', producer, eventType: 'Relayed', eventId }, way);
  return headers;
}

function eventIdLike(producer: string, key: Buffer | null, offset: string): string {
  return `${producer}:Relayed:${key?.toString() ?? ''}:v1-${offset.padStart(16, '0')}`;
}

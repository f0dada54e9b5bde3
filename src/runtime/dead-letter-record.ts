import { createHash } from 'node:crypto';

import { SchemaValidationError } from '../errors/schema-validation-error';
import { StreamwiseError } from '../errors/streamwise-error';
import { DeadLetterHeaderNames } from '../model/topics/header-names';
import type { DeliveredRecord, OutgoingRecord, RecordHeaders } from '../transport/transport';

export type DeadLetterReason =
  | 'handler-failed'
  | 'undecodable'
  | 'foreign-producer'
  | 'unsigned-record'
  | 'key-mismatch'
  | 'invalid';

export interface DeadLetterInfo {
  readonly reason: DeadLetterReason;
  readonly error: unknown;
  readonly service: string;
  readonly handler: string | undefined;
  readonly attempts: number;
  readonly failedAt: number;
}

/**
 * The dead-letter copy of a record: its own key, value, header bytes (verbatim) and timestamp, on
 * the same partition number, plus headers saying what failed, where, and how many times it was
 * tried.
 */
export function deadLetterRecord(record: DeliveredRecord, info: DeadLetterInfo): OutgoingRecord {
  const base = {
    key: record.key,
    value: record.value,
    partition: record.partition,
    timestamp: record.timestamp,
  };
  // The source headers go as the bytes they arrived as (non-UTF-8 values, repeated names); the
  // text map is only the whole truth when the transport delivered no raw headers.
  if (record.rawHeaders !== undefined) {
    return { ...base, rawHeaders: record.rawHeaders, headers: failureHeaders(record, info) };
  }
  return { ...base, headers: { ...record.headers, ...failureHeaders(record, info) } };
}

/** Keys above this are left out of a reduced dead letter too: they may be what made it too large. */
const MAX_REDUCED_KEY_BYTES = 1_024;

/**
 * What is written when the broker refused the full copy for good (MESSAGE_TOO_LARGE, a record
 * the dead-letter topic cannot take): the failure headers and a description of the value (size,
 * sha-256) instead of the value and the source headers, so the partition can still move on.
 */
export function reducedDeadLetterRecord(
  record: DeliveredRecord,
  info: DeadLetterInfo,
  refusal: unknown,
): OutgoingRecord {
  const value = record.value ?? Buffer.alloc(0);
  const refused = refusal instanceof Error ? refusal.message : String(refusal);
  return {
    key: record.key !== null && record.key.length <= MAX_REDUCED_KEY_BYTES ? record.key : null,
    value: null,
    partition: record.partition,
    timestamp: record.timestamp,
    headers: {
      ...failureHeaders(record, info),
      [DeadLetterHeaderNames.VALUE_OMITTED]: refused.slice(0, 1_000),
      [DeadLetterHeaderNames.VALUE_SIZE]: String(record.value?.length ?? 0),
      [DeadLetterHeaderNames.VALUE_DIGEST]: `sha-256:${createHash('sha256').update(value).digest('hex')}`,
    },
  };
}

/** Failure headers stay small (messages and paths are cut) so a dead-letter topic can size for them. */
function failureHeaders(record: DeliveredRecord, info: DeadLetterInfo): RecordHeaders {
  const error = info.error;
  const message = error instanceof Error ? error.message : String(error);
  return {
    [DeadLetterHeaderNames.REASON]: info.reason,
    [DeadLetterHeaderNames.ERROR_MESSAGE]: message.slice(0, 4_000),
    [DeadLetterHeaderNames.ERROR_NAME]: error instanceof Error ? error.name : typeof error,
    [DeadLetterHeaderNames.ERROR_CODE]: error instanceof StreamwiseError ? error.code : '',
    [DeadLetterHeaderNames.SOURCE_TOPIC]: record.topic,
    [DeadLetterHeaderNames.SOURCE_PARTITION]: String(record.partition),
    [DeadLetterHeaderNames.SOURCE_OFFSET]: String(record.offset),
    [DeadLetterHeaderNames.SERVICE]: info.service,
    [DeadLetterHeaderNames.HANDLER]: info.handler ?? '',
    [DeadLetterHeaderNames.ATTEMPTS]: String(info.attempts),
    [DeadLetterHeaderNames.FAILED_AT]: new Date(info.failedAt).toISOString(),
    ...(error instanceof SchemaValidationError
      ? { [DeadLetterHeaderNames.VALIDATION]: JSON.stringify(error.problems).slice(0, 16_000) }
      : {}),
  };
}

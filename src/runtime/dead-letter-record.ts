import { SchemaValidationError } from '../errors/schema-validation-error';
import { StreamwiseError } from '../errors/streamwise-error';
import { DeadLetterHeaderNames } from '../model/topics/header-names';
import type { DeliveredRecord, OutgoingRecord } from '../transport/transport';

export type DeadLetterReason = 'handler-failed' | 'undecodable' | 'foreign-producer' | 'invalid';

export interface DeadLetterInfo {
  readonly reason: DeadLetterReason;
  readonly error: unknown;
  readonly service: string;
  readonly handler: string | undefined;
  readonly attempts: number;
  readonly failedAt: number;
}

/**
 * The dead-letter copy of a record: its own key, value, headers and timestamp, on the same
 * partition number, plus headers saying what failed, where, and how many times it was tried.
 */
export function deadLetterRecord(record: DeliveredRecord, info: DeadLetterInfo): OutgoingRecord {
  const error = info.error;
  const message = error instanceof Error ? error.message : String(error);
  return {
    key: record.key,
    value: record.value,
    partition: record.partition,
    timestamp: record.timestamp,
    headers: {
      ...record.headers,
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
        ? { [DeadLetterHeaderNames.VALIDATION]: JSON.stringify(error.problems) }
        : {}),
    },
  };
}

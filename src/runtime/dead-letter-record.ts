import { SchemaValidationError } from '../errors/schema-validation-error';
import { StreamwiseError } from '../errors/streamwise-error';
import { DeadLetterHeaders } from '../model/topics/header-names';
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
      [DeadLetterHeaders.REASON]: info.reason,
      [DeadLetterHeaders.ERROR_MESSAGE]: message.slice(0, 4_000),
      [DeadLetterHeaders.ERROR_NAME]: error instanceof Error ? error.name : typeof error,
      [DeadLetterHeaders.ERROR_CODE]: error instanceof StreamwiseError ? error.code : '',
      [DeadLetterHeaders.SOURCE_TOPIC]: record.topic,
      [DeadLetterHeaders.SOURCE_PARTITION]: String(record.partition),
      [DeadLetterHeaders.SOURCE_OFFSET]: String(record.offset),
      [DeadLetterHeaders.SERVICE]: info.service,
      [DeadLetterHeaders.HANDLER]: info.handler ?? '',
      [DeadLetterHeaders.ATTEMPTS]: String(info.attempts),
      [DeadLetterHeaders.FAILED_AT]: new Date(info.failedAt).toISOString(),
      ...(error instanceof SchemaValidationError
        ? { [DeadLetterHeaders.VALIDATION]: JSON.stringify(error.problems) }
        : {}),
    },
  };
}

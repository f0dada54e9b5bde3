/**
 * The envelope's four separate headers (principle 2: meaningful, versioned ids): how earlier
 * versions of streamwise wrote every record, and how an app with `envelopeHeaders: 'separate'`
 * still does. Every app reads them; by default the envelope is one `sw-envelope` header
 * (envelope-header.ts). The event time is the record's own Kafka timestamp, not a header: the
 * Kafka clients encode each header into buffers of its own, so every header costs every record.
 */
export const HeaderNames = {
  EVENT_ID: 'sw-event-id',
  EVENT_TYPE: 'sw-event-type',
  SCHEMA_VERSION: 'sw-schema-version',
  PRODUCER: 'sw-producer',
} as const;

/** Headers added when a record is sent to a dead-letter topic: what failed, where and how often. */
export const DeadLetterHeaderNames = {
  ERROR_MESSAGE: 'sw-dlq-error',
  ERROR_NAME: 'sw-dlq-error-name',
  ERROR_CODE: 'sw-dlq-error-code',
  REASON: 'sw-dlq-reason',
  SOURCE_TOPIC: 'sw-dlq-topic',
  SOURCE_PARTITION: 'sw-dlq-partition',
  SOURCE_OFFSET: 'sw-dlq-offset',
  SERVICE: 'sw-dlq-service',
  HANDLER: 'sw-dlq-handler',
  ATTEMPTS: 'sw-dlq-attempts',
  FAILED_AT: 'sw-dlq-failed-at',
  /** For records that failed their schema: the JSON list of failing paths. */
  VALIDATION: 'sw-dlq-validation',
  /**
   * On a reduced dead letter, written without the value because the broker refused the full copy
   * (e.g. MESSAGE_TOO_LARGE): why the value was left out. The next two describe the missing value.
   */
  VALUE_OMITTED: 'sw-dlq-value-omitted',
  VALUE_SIZE: 'sw-dlq-value-size',
  /** `sha-256:<hex>` of the value. */
  VALUE_DIGEST: 'sw-dlq-value-digest',
} as const;

export function deadLetterTopicName(topic: string): string {
  return `${topic}.dlq`;
}

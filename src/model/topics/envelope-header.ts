import { HeaderNames } from './header-names';

/** The header that carries a record's envelope, all of its fields in one value. */
export const ENVELOPE_HEADER = 'sw-envelope';

/**
 * How a record's envelope is written: 'single' (default), all of it in the `sw-envelope` header;
 * 'separate', in the four headers `sw-event-id`, `sw-event-type`, `sw-schema-version` and
 * `sw-producer`, as streamwise wrote it before, for as long as something reads those: apps of an
 * earlier streamwise during a rolling upgrade, or consumers that are not streamwise.
 */
export const ENVELOPE_HEADERS = ['single', 'separate'] as const;
export type EnvelopeHeaders = (typeof ENVELOPE_HEADERS)[number];

/**
 * The envelope's own format, first in its value, so a later format can be told apart. One
 * character: the reader compares its code.
 */
const FORMAT = '1';
const SEPARATOR = ';';

/** What streamwise says about every record it writes (principle 2). */
export interface EnvelopeFields {
  /** The schema version the value was written at. */
  readonly schemaVersion: string;
  /** The service that wrote it. */
  readonly producer: string;
  /** The topic's entity, e.g. "Order". */
  readonly eventType: string;
  /** The meaningful, versioned id, e.g. "orders-service-Order-1234-v3". */
  readonly eventId: string;
}

/**
 * `1;<schema version>;<producer>;<type>;<event id>`: one header instead of four, because the Kafka
 * clients of Node encode every header as buffers of its own (bench/RESULTS.md, session q: the
 * relay 4 % to 27 % faster with one). Service names (lowercase letters, digits and
 * dashes) and entity names (identifiers) cannot contain the separator; the event id, last, may.
 */
export function envelopeHeaderValue(fields: EnvelopeFields): string {
  return `${FORMAT}${SEPARATOR}${fields.schemaVersion}${SEPARATOR}${fields.producer}${SEPARATOR}${fields.eventType}${SEPARATOR}${fields.eventId}`;
}

const ENVELOPE_NAMES: ReadonlySet<string> = new Set([
  ENVELOPE_HEADER,
  ...Object.values(HeaderNames),
]);

/**
 * Whether a header carries (part of) an envelope, in either way: publishes drop such headers from
 * their user headers, so a record never carries an envelope the publisher did not write.
 */
export function isEnvelopeHeader(name: string): boolean {
  return ENVELOPE_NAMES.has(name);
}

/** Writes the envelope into `headers` in the given way. */
export function writeEnvelope(
  headers: Record<string, string>,
  fields: EnvelopeFields,
  way: EnvelopeHeaders = 'single',
): void {
  if (way === 'single') {
    headers[ENVELOPE_HEADER] = envelopeHeaderValue(fields);
    return;
  }
  headers[HeaderNames.EVENT_ID] = fields.eventId;
  headers[HeaderNames.EVENT_TYPE] = fields.eventType;
  headers[HeaderNames.SCHEMA_VERSION] = fields.schemaVersion;
  headers[HeaderNames.PRODUCER] = fields.producer;
}

/** Each field's header in the four-header way. */
const SEPARATE: Readonly<Record<keyof EnvelopeFields, string>> = {
  schemaVersion: HeaderNames.SCHEMA_VERSION,
  producer: HeaderNames.PRODUCER,
  eventType: HeaderNames.EVENT_TYPE,
  eventId: HeaderNames.EVENT_ID,
};

/**
 * The envelope of a delivered record: from its `sw-envelope` header, or from the four headers
 * records were written with before it (each field then as present). Undefined when the record has
 * neither (a foreign producer's), or when its `sw-envelope` is not one this version can read.
 */
export function readEnvelope(
  headers: Readonly<Record<string, string | undefined>>,
): Partial<EnvelopeFields> | undefined {
  const value = headers[ENVELOPE_HEADER];
  if (value !== undefined) return parseEnvelope(value);
  const separate: Partial<EnvelopeFields> = {
    schemaVersion: headers[SEPARATE.schemaVersion],
    producer: headers[SEPARATE.producer],
    eventType: headers[SEPARATE.eventType],
    eventId: headers[SEPARATE.eventId],
  };
  return Object.values(separate).every((field) => field === undefined) ? undefined : separate;
}

/**
 * One field of a record's envelope, in whichever headers it was written, without building the
 * others: the record path reads one or two fields of every record, most handlers none.
 */
export function envelopeField(
  headers: Readonly<Record<string, string | undefined>>,
  field: keyof EnvelopeFields,
): string | undefined {
  const value = headers[ENVELOPE_HEADER];
  return value === undefined ? headers[SEPARATE[field]] : fieldOf(value, field);
}

/** The fields of an `sw-envelope` value; undefined unless it has the format and all five parts. */
export function parseEnvelope(value: string): EnvelopeFields | undefined {
  const schemaVersion = fieldOf(value, 'schemaVersion');
  const producer = fieldOf(value, 'producer');
  const eventType = fieldOf(value, 'eventType');
  const eventId = fieldOf(value, 'eventId');
  if (schemaVersion === undefined || producer === undefined) return undefined;
  if (eventType === undefined || eventId === undefined) return undefined;
  return { schemaVersion, producer, eventType, eventId };
}

const FORMAT_CODE = FORMAT.charCodeAt(0);
const SEPARATOR_CODE = SEPARATOR.charCodeAt(0);

/**
 * One field of an `sw-envelope` value, checking the whole value on the way (the format, all four
 * fields, none empty) so a malformed value yields no field at all. Written out rather than split
 * or looped: this runs for one or two fields of every record, and this form took 40 ns a field
 * where a loop took 100 and a full parse 290 (on the bench machine).
 */
function fieldOf(value: string, field: keyof EnvelopeFields): string | undefined {
  const known = value.charCodeAt(0) === FORMAT_CODE && value.charCodeAt(1) === SEPARATOR_CODE;
  if (!known) return undefined;
  const afterVersion = value.indexOf(SEPARATOR, 2);
  if (afterVersion <= 2) return undefined;
  const afterProducer = value.indexOf(SEPARATOR, afterVersion + 1);
  if (afterProducer <= afterVersion + 1) return undefined;
  // The event id is last and may contain the separator.
  const afterType = value.indexOf(SEPARATOR, afterProducer + 1);
  if (afterType <= afterProducer + 1 || afterType + 1 === value.length) return undefined;
  switch (field) {
    case 'schemaVersion':
      return value.slice(2, afterVersion);
    case 'producer':
      return value.slice(afterVersion + 1, afterProducer);
    case 'eventType':
      return value.slice(afterProducer + 1, afterType);
    case 'eventId':
      return value.slice(afterType + 1);
  }
}

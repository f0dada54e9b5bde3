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

/** The envelope's own format, first in its value, so a later format can be told apart. */
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
 * clients of Node encode every header as buffers of its own (four cost a relay about 30 % of its
 * throughput, one about 5 %: bench/RESULTS.md). Service names and entity names cannot contain the
 * separator; the event id comes last, so it may.
 */
export function envelopeHeaderValue(fields: EnvelopeFields): string {
  return [FORMAT, fields.schemaVersion, fields.producer, fields.eventType, fields.eventId].join(
    SEPARATOR,
  );
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
  const legacy: Partial<EnvelopeFields> = {
    schemaVersion: headers[HeaderNames.SCHEMA_VERSION],
    producer: headers[HeaderNames.PRODUCER],
    eventType: headers[HeaderNames.EVENT_TYPE],
    eventId: headers[HeaderNames.EVENT_ID],
  };
  return Object.values(legacy).every((field) => field === undefined) ? undefined : legacy;
}

/** The fields of an `sw-envelope` value; undefined unless it has the format and all five parts. */
export function parseEnvelope(value: string): EnvelopeFields | undefined {
  const ends: number[] = [];
  for (let at = value.indexOf(SEPARATOR); at !== -1 && ends.length < 4;) {
    ends.push(at);
    at = value.indexOf(SEPARATOR, at + 1);
  }
  const [format, version, producer, type] = ends;
  if (format === undefined || version === undefined || producer === undefined) return undefined;
  if (type === undefined || value.slice(0, format) !== FORMAT) return undefined;
  const fields: EnvelopeFields = {
    schemaVersion: value.slice(format + 1, version),
    producer: value.slice(version + 1, producer),
    eventType: value.slice(producer + 1, type),
    eventId: value.slice(type + 1),
  };
  return Object.values(fields).some((field) => field === '') ? undefined : fields;
}

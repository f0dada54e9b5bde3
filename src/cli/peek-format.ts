import { TextDecoder } from 'node:util';

import { decodeWireFormat } from '../codec/registry/wire-format';
import type { DeliveredRecord } from '../transport/transport';

const DLQ_PREFIX = 'sw-dlq-';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A record as `topics peek --json` prints it; the text output shows the same fields. */
export interface PeekedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: string;
  readonly key: ShownBytes;
  readonly headers: Readonly<Record<string, string>>;
  /** The sw-dlq-* headers of a dead letter, without the prefix: error, reason, topic, offset, ... */
  readonly deadLetter?: Readonly<Record<string, unknown>>;
  readonly value: ShownBytes;
}

/** Bytes shown as what they decode to: JSON, text, or base64 when they are neither. */
export type ShownBytes =
  | { readonly encoding: 'null' }
  | { readonly encoding: 'json'; readonly json: unknown; readonly schemaId?: number }
  | { readonly encoding: 'utf8'; readonly text: string }
  | { readonly encoding: 'base64'; readonly base64: string };

export function peekedRecord(record: DeliveredRecord): PeekedRecord {
  const headers: Record<string, string> = {};
  const deadLetter: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record.headers)) {
    if (name.startsWith(DLQ_PREFIX)) deadLetter[name.slice(DLQ_PREFIX.length)] = parsed(value);
    else headers[name] = value;
  }
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: new Date(record.timestamp).toISOString(),
    key: showBytes(record.key),
    headers,
    ...(Object.keys(deadLetter).length > 0 ? { deadLetter } : {}),
    value: showBytes(record.value),
  };
}

export function showBytes(bytes: Buffer | null): ShownBytes {
  if (bytes === null) return { encoding: 'null' };
  const registered = registryJson(bytes);
  if (registered !== undefined) return registered;
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return { encoding: 'base64', base64: bytes.toString('base64') };
  }
  // eslint-disable-next-line no-control-regex -- control characters mean binary, not text
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text))
    return { encoding: 'base64', base64: bytes.toString('base64') };
  const json = parsedJson(text);
  return json === undefined ? { encoding: 'utf8', text } : { encoding: 'json', json: json.value };
}

/** The text lines of one record: a heading, then key, headers, the dead letter block, value. */
export function formatPeeked(record: PeekedRecord): string[] {
  const lines = [`${record.topic}[${record.partition}]@${record.offset}  ${record.timestamp}`];
  lines.push(...block('key', record.key));
  const names = Object.keys(record.headers);
  if (names.length > 0) {
    lines.push('  headers:');
    for (const name of names) lines.push(`    ${name}: ${record.headers[name]}`);
  }
  if (record.deadLetter !== undefined) {
    lines.push('  dead letter:');
    for (const [name, value] of Object.entries(record.deadLetter)) {
      const shown = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
      lines.push(...indentFirst(`    ${name}: `, shown));
    }
  }
  lines.push(...block('value', record.value));
  return lines;
}

function block(label: string, shown: ShownBytes): string[] {
  switch (shown.encoding) {
    case 'null':
      return [`  ${label}: null`];
    case 'utf8':
      return indentFirst(`  ${label}: `, shown.text);
    case 'base64':
      return [`  ${label} (binary, base64): ${shown.base64}`];
    case 'json': {
      const schema = shown.schemaId === undefined ? '' : ` (schema id ${shown.schemaId})`;
      return indentFirst(`  ${label}${schema}: `, JSON.stringify(shown.json, null, 2));
    }
  }
}

/** One line after its label, or several on the lines below it, indented one step further. */
function indentFirst(label: string, text: string): string[] {
  const lines = text.split('\n');
  if (lines.length === 1) return [`${label}${text}`];
  const pad = ' '.repeat(label.length - label.trimStart().length + 2);
  return [label.trimEnd(), ...lines.map((line) => `${pad}${line}`)];
}

/** JSON behind the schema registry's wire format (magic byte 0, a 4-byte id). */
function registryJson(bytes: Buffer): ShownBytes | undefined {
  if (bytes.length < 6 || bytes[0] !== 0) return undefined;
  const { schemaId, payload } = decodeWireFormat(bytes);
  let text: string;
  try {
    text = strictUtf8.decode(payload);
  } catch {
    return undefined;
  }
  const json = parsedJson(text);
  return json === undefined ? undefined : { encoding: 'json', json: json.value, schemaId };
}

function parsedJson(text: string): { value: unknown } | undefined {
  const trimmed = text.trim();
  if (!/^[[{"]/.test(trimmed)) return undefined;
  try {
    return { value: JSON.parse(trimmed) as unknown };
  } catch {
    return undefined;
  }
}

/** Header values that hold JSON (sw-dlq-validation) shown as JSON; the rest as text. */
function parsed(value: string): unknown {
  return parsedJson(value)?.value ?? value;
}

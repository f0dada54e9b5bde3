import { createHash } from 'node:crypto';

import type { TopicKey } from '../../model/topics/key-serde';

/**
 * LMDB refuses keys over 1,978 bytes. Longer table keys are stored under a hash of their
 * encoding, and the row keeps the encoding itself (see `StoredKey.inline`).
 */
const MAX_INLINE_BYTES = 1_000;

/** A table key as the persistent store writes it. */
export interface StoredKey {
  /** The LMDB key of the row. */
  readonly storage: string;
  /** The full encoded key when `storage` is a hash of it (long keys), so it can be decoded back. */
  readonly inline: string | undefined;
}

/**
 * Encodes a table key so that its type survives a round trip: "s:" + text for strings, "n:" +
 * the number's shortest decimal form for numbers (so "1" and 1 are different keys, as in a Map).
 */
export function encodeTableKey(key: TopicKey): StoredKey {
  const encoded = typeof key === 'number' ? `n:${String(key)}` : `s:${key}`;
  // A UTF-16 code unit takes at most 3 UTF-8 bytes: most keys need no count of their bytes.
  if (
    encoded.length * 3 <= MAX_INLINE_BYTES ||
    Buffer.byteLength(encoded, 'utf8') <= MAX_INLINE_BYTES
  ) {
    return { storage: encoded, inline: undefined };
  }
  const digest = createHash('sha256').update(encoded, 'utf8').digest('hex');
  return { storage: `h:${digest}`, inline: encoded };
}

/** The inverse of encodeTableKey: `storage`, or the row's `inline` copy when it is a hash. */
export function decodeTableKey(storage: string, inline: string | undefined): TopicKey {
  const encoded = inline ?? storage;
  const text = encoded.slice(2);
  if (encoded.startsWith('n:')) return Number(text);
  if (encoded.startsWith('s:')) return text;
  throw new TypeError(`not a stored table key: ${JSON.stringify(encoded.slice(0, 40))}`);
}

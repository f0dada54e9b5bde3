import { randomFillSync } from 'node:crypto';

/** `<service>-<Entity>-<entityId>-v<version>`, e.g. `orders-service-Order-1234-v3`. */
export function eventId(
  service: string,
  entity: string,
  entityId: string,
  version: number,
): string {
  return `${service}-${entity}-${entityId}-v${version}`;
}

// Crockford base32, as in ULIDs: no I, L, O, U, so an id read aloud or retyped stays unambiguous.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;

let lastTime = -1;
let lastTimeText = '';
let lastRandom: number[] = [];
/** The random part's text but its last character: counting up changes only that one mostly. */
let randomHead = '';

/**
 * A ULID for `timestamp`: 26 characters that sort in time order. Without a revision the entity id
 * and version repeat for every update of one key, so this suffix is what makes the event id name
 * one event. Within one millisecond the random part counts up, so ids of one process keep their
 * publishing order; across processes the 80 random bits keep them apart.
 */
export function eventSuffix(timestamp: number): string {
  const time = Math.max(0, Math.floor(timestamp));
  if (time === lastTime) {
    if (increment(lastRandom) < RANDOM_CHARS - 1) randomHead = digitsText(lastRandom);
  } else {
    lastTime = time;
    lastTimeText = encodeTime(time);
    lastRandom = randomDigits();
    // A fresh random part never starts at the top, so counting up within a millisecond cannot wrap.
    lastRandom[0] = (lastRandom[0] ?? 0) % 16;
    randomHead = digitsText(lastRandom);
  }
  return lastTimeText + randomHead + ALPHABET[lastRandom[RANDOM_CHARS - 1] ?? 0];
}

/** `eventId(...)` followed by `-<ULID>`: the id of an event on a topic that defines no revision. */
export function uniqueEventId(
  service: string,
  entity: string,
  entityId: string,
  version: number,
  timestamp: number,
): string {
  return `${eventId(service, entity, entityId, version)}-${eventSuffix(timestamp)}`;
}

// Records handled one after another rarely share a timestamp (a relay publishes at each input's
// event time, and partitions interleave), so a fresh random part is drawn for most of them: one
// crypto call per 256 of them instead of one each (a per-record call was 4% of a relay's CPU).
const randomPool = Buffer.alloc(RANDOM_CHARS * 256);
let randomPoolOffset = randomPool.length;

function randomDigits(): number[] {
  if (randomPoolOffset + RANDOM_CHARS > randomPool.length) {
    randomFillSync(randomPool);
    randomPoolOffset = 0;
  }
  const digits: number[] = [];
  for (let index = 0; index < RANDOM_CHARS; index++) {
    digits.push((randomPool[randomPoolOffset + index] ?? 0) % ALPHABET.length);
  }
  randomPoolOffset += RANDOM_CHARS;
  return digits;
}

function encodeTime(time: number): string {
  let rest = time;
  let text = '';
  for (let index = 0; index < TIME_CHARS; index += 1) {
    text = ALPHABET[rest % ALPHABET.length] + text;
    rest = Math.floor(rest / ALPHABET.length);
  }
  return text;
}

function digitsText(digits: readonly number[]): string {
  let text = '';
  for (let index = 0; index < RANDOM_CHARS - 1; index++) text += ALPHABET[digits[index] ?? 0];
  return text;
}

/** Adds one; returns the index of the leftmost digit that changed. */
function increment(digits: number[]): number {
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    const next = (digits[index] ?? 0) + 1;
    if (next < ALPHABET.length) {
      digits[index] = next;
      return index;
    }
    digits[index] = 0;
  }
  return 0;
}

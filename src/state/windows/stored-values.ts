import type { TopicKey } from '../../model/topics/key-serde';

/** Shape checks for changelog values read back at restore time, where types are only a promise. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function isKey(value: unknown): value is TopicKey {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

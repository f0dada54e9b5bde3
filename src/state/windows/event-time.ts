import { InvalidEventTimeError } from '../../errors/invalid-event-time-error';

/** Event times are epoch milliseconds >= 0, as Kafka record timestamps (-1 means "none"). */
export function assertEventTime(where: string, timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new InvalidEventTimeError(where, timestamp);
  }
}

/**
 * Stream time after seeing `timestamp`: the largest event time so far. It never goes back, so
 * an out-of-order record cannot reopen what a later one closed.
 */
export function advancedStreamTime(current: number | undefined, timestamp: number): number {
  return current === undefined ? timestamp : Math.max(current, timestamp);
}

import type { TimeWindows } from '../../model/windows/window-spec';
import type { Window } from './window';

/**
 * The windows holding `timestamp`, earliest first: every [start, start + size) with start a
 * multiple of advance (from epoch 0, none before it) and start <= timestamp < start + size.
 * A record exactly at a window's end belongs to the next one.
 */
export function timeWindowsFor(spec: TimeWindows, timestamp: number): Window[] {
  const { sizeMs, advanceMs } = spec;
  // The first multiple of advance greater than timestamp - size.
  const first = Math.floor((timestamp - sizeMs + advanceMs) / advanceMs) * advanceMs;
  const windows: Window[] = [];
  for (let start = Math.max(0, first); start <= timestamp; start += advanceMs) {
    windows.push({ start, end: start + sizeMs });
  }
  return windows;
}

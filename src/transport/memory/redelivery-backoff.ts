/** Delay before a record whose handler rejected is delivered again: 100 ms doubling, capped at 5 s. */
export function redeliveryBackoff(failures: number): number {
  return Math.min(100 * 2 ** Math.max(0, failures - 1), 5_000);
}

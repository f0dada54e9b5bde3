/**
 * Histogram bucket boundaries for durations in seconds, as the HTTP and messaging semantic
 * conventions advise: the SDK's default boundaries (0 to 10000) suit milliseconds and would put
 * every record and request into the first bucket.
 */
export const SECONDS_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

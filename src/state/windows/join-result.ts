/** One joined pair. */
export interface JoinResult<K, O> {
  readonly key: K;
  readonly value: O;
  /** The later of the two records' event times, as Kafka Streams stamps join results. */
  readonly timestamp: number;
}

/** What one record did to a join. */
export interface JoinOutcome<K, O> {
  /** One output per buffered record of the other side it matched, in (event time, arrival) order. */
  readonly results: JoinResult<K, O>[];
  /** The record arrived after its join window closed and changed nothing: dead-letter and count it. */
  readonly late: boolean;
}

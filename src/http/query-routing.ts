/** The partition whose holder answers a key-routed query. */
export interface PartitionRef {
  readonly topic: string;
  readonly partition: number;
}

/**
 * Maps a request's path params to the partition holding its key (typically with the topic's
 * partitioner), or undefined when any instance can answer this request locally.
 */
export type QueryRouting = (params: Readonly<Record<string, string>>) => PartitionRef | undefined;

export interface MountOptions {
  /** Per @Query method name: makes that query key-routed (forwarded to the partition's holder). */
  readonly routing?: Readonly<Record<string, QueryRouting>>;
}

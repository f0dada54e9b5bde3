import type { TopicSpec } from './transport';

/** A topic as the broker has it: its partition count and the configs asked for. */
export interface TopicState {
  readonly name: string;
  readonly partitions: number;
  /** The effective value (set on the topic, or the broker's default) of each config asked for. */
  readonly configs: Readonly<Record<string, string>>;
}

/**
 * Topic administration beyond what services need at start: reading configs, growing partitions,
 * altering configs. `streamwise topics apply` uses it to bring the broker to the topic plan.
 */
export interface TopicAdmin {
  /** The topics that exist among `names`, with the effective values of `configNames`. */
  describe(
    names: readonly string[],
    configNames: readonly string[],
  ): Promise<Map<string, TopicState>>;
  create(specs: readonly TopicSpec[]): Promise<void>;
  /** Grows a topic to `total` partitions (Kafka cannot shrink one). */
  addPartitions(topic: string, total: number): Promise<void>;
  /** Sets these configs; every other config set on the topic keeps its value. */
  alterConfigs(topic: string, configs: Readonly<Record<string, string>>): Promise<void>;
  close(): Promise<void>;
}

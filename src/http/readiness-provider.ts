/** One thing readiness depends on, e.g. a materialized view having caught up. */
export interface ReadinessCheck {
  readonly name: string;
  readonly ready: boolean;
  /** Why it is not ready yet, or anything else useful to an operator. */
  readonly detail?: string;
}

/** How far a consumer group is behind on one partition, in records. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

/** What `GET /health/ready` reports; the app implements it over its services and views. */
export interface ReadinessProvider {
  isReady(): boolean;
  checks(): readonly ReadinessCheck[];
  lag(): Promise<readonly PartitionLag[]>;
}

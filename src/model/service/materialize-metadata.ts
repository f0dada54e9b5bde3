import type { TopicDefinition } from '../topics/topic-definition';

export interface MaterializeOptions {
  /**
   * 'global': every partition on every instance (reference data, any key answerable anywhere).
   * 'partitioned': only the partitions this instance is assigned, co-partitioned with its inputs.
   */
  readonly mode?: 'global' | 'partitioned';
  /** 'memory' rebuilds from the log at start; 'persistent' keeps data and offsets on disk. */
  readonly store?: 'memory' | 'persistent';
}

export interface MaterializeMetadata {
  readonly property: string;
  readonly topic: TopicDefinition;
  readonly mode: 'global' | 'partitioned';
  readonly store: 'memory' | 'persistent';
}

import { defineTopic } from '../../src/codec/define-topic';
import { Replicate } from '../../src/decorators/replicate';
import { Service } from '../../src/decorators/service';
import type { ReplicaReader } from '../../src/replicas/replica-reader';
import type { ServiceClass } from '../../src/runtime/service-class';
import { StreamService } from '../../src/runtime/stream-service';

export const REPLICA_PARTITIONS = 3;

export interface Version {
  readonly key: string;
  readonly seq: number;
}

/** A service replicating `topic` into `table` (columns key, seq), under its own names. */
export function replicaTopology(names: { topic: string; table: string; service: string }): {
  readonly service: ServiceClass<StreamService & { versions: ReplicaReader }>;
} {
  const Versions = defineTopic<Version>({
    name: names.topic,
    entity: 'Version',
    key: (v) => v.key,
    partitions: REPLICA_PARTITIONS,
    compacted: true,
  });
  @Service(names.service)
  class VersionReplica extends StreamService {
    @Replicate(Versions, { table: names.table, columns: { seq: 'integer' } })
    readonly versions!: ReplicaReader;
  }
  return { service: VersionReplica };
}

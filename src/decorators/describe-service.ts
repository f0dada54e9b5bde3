import 'reflect-metadata';

import { DecoratorMisuseError } from '../errors/decorator-misuse-error';
import { MissingServiceDecoratorError } from '../errors/missing-service-decorator-error';
import { replicaTopics } from '../model/service/replica-metadata';
import type { ServiceDescription } from '../model/service/service-description';
import type { ServiceOptions } from '../model/service/service-options';
import type { TopicDefinition } from '../model/topics/topic-definition';
import { readEventHandlers } from './read-event-handlers';
import { readMaterialized } from './read-materialized';
import { readOwnedTopics } from './read-owned-topics';
import { readQueries } from './read-queries';
import { readReplicas } from './read-replicas';
import { readServiceMetadata } from './read-service-metadata';
import { readStateStores } from './read-state-stores';
import { readWindowedStores } from './read-windowed-stores';

/** Reads every decorator of a service class into one typed description. */
export function describeService(
  target: abstract new (...args: never[]) => object,
): ServiceDescription {
  const service = readServiceMetadata(target);
  if (service === undefined) throw new MissingServiceDecoratorError(target.name);
  const handlers = readEventHandlers(target);
  const materialized = readMaterialized(target);
  const replicas = readReplicas(target);
  assertReplicaTablesUnique(target.name, replicas);
  const consumes = new Map<string, TopicDefinition>();
  for (const topic of [
    ...handlers.map((h) => h.topic),
    ...materialized.map((m) => m.topic),
    ...replicas.flatMap((r) => replicaTopics(r)),
  ]) {
    consumes.set(topic.name, topic);
  }
  const stores = readStateStores(target);
  const windowedStores = readWindowedStores(target);
  assertConcurrencyWithoutPartitionState(target.name, service.options, [
    ...stores.map((store) => `@State ${store.property}`),
    ...windowedStores.map((store) => `@Windowed/@WindowedJoin ${store.property}`),
    ...materialized
      .filter((table) => table.mode === 'partitioned')
      .map((table) => `partitioned @Materialize ${table.property}`),
  ]);
  return {
    target,
    className: target.name,
    name: service.name,
    options: service.options,
    owns: readOwnedTopics(target),
    handlers,
    materialized,
    replicas,
    queries: readQueries(target),
    stores,
    windowedStores,
    consumes: [...consumes.values()],
  };
}

/** Inherited and own @Replicate entries must not share a table either: a table has one writer. */
function assertReplicaTablesUnique(
  className: string,
  replicas: readonly { readonly property: string; readonly table: string }[],
): void {
  const seen = new Map<string, string>();
  for (const replica of replicas) {
    const other = seen.get(replica.table);
    if (other !== undefined) {
      throw new DecoratorMisuseError(
        'Replicate',
        className,
        replica.property,
        `table "${replica.table}" is already replicated by ${other}: a table has one writer.`,
      );
    }
    seen.set(replica.table, replica.property);
  }
}

/**
 * Records of different keys run at once with concurrency, but partition state (a store shard, a
 * window engine, a table partition) is shared by all keys of the partition.
 */
function assertConcurrencyWithoutPartitionState(
  className: string,
  options: ServiceOptions,
  state: readonly string[],
): void {
  const perPartition = options.concurrency?.perPartition ?? 1;
  if (perPartition <= 1 || state.length === 0) return;
  throw new DecoratorMisuseError(
    'Service',
    className,
    undefined,
    `concurrency.perPartition ${perPartition} cannot be combined with partition state (${state.join(', ')}): the records of a partition share it. Drop the concurrency option, or move the state into a service of its own.`,
  );
}

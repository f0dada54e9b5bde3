import { StateStoreWriteError } from '../../errors/state-store-write-error';
import { HeaderNames } from '../../model/topics/header-names';
import type { TopicKey } from '../../model/topics/key-serde';
import type { Serde } from '../../model/topics/serde';
import { partitionForKey } from '../../transport/partitioner';
import { currentHandlerScope } from '../handler-scope';
import type { StateStore } from './state-store';

/**
 * A state store split into one shard per input partition, as Kafka Streams does: this instance
 * holds the shards of the partitions assigned to it, each restored from the same partition of the
 * changelog. A key lives in the shard its bytes hash to, so reads need no routing table.
 */
export class PartitionedStateStore<K extends TopicKey, V> implements StateStore<K, V> {
  readonly name: string;
  readonly changelogTopic: string;
  readonly #service: string;
  readonly #partitions: number;
  readonly #keySerde: Serde<K>;
  readonly #shards = new Map<number, Map<K, V>>();

  constructor(
    service: string,
    name: string,
    changelogTopic: string,
    partitions: number,
    keySerde: Serde<K>,
  ) {
    this.#service = service;
    this.name = name;
    this.changelogTopic = changelogTopic;
    this.#partitions = partitions;
    this.#keySerde = keySerde;
  }

  get(key: K): V | undefined {
    const pending = currentHandlerScope()?.writes.pending(this.name, this.#keyId(key));
    if (pending !== undefined) return pending.deleted ? undefined : (pending.value as V);
    return this.#shardOf(key)?.get(key);
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  *entries(): IterableIterator<[K, V]> {
    for (const shard of this.#shards.values()) yield* shard.entries();
  }

  get size(): number {
    let size = 0;
    for (const shard of this.#shards.values()) size += shard.size;
    return size;
  }

  put(key: K, value: V): void {
    this.#write(key, value);
  }

  delete(key: K): void {
    this.#write(key, undefined);
  }

  /** Partitions whose shards this instance holds. */
  heldPartitions(): number[] {
    return [...this.#shards.keys()];
  }

  /** Starts an empty shard for a newly assigned partition (filled by the changelog restore). */
  openShard(partition: number): void {
    if (!this.#shards.has(partition)) this.#shards.set(partition, new Map());
  }

  dropShard(partition: number): void {
    this.#shards.delete(partition);
  }

  /** Applies one changelog record during a restore. */
  restore(partition: number, key: Buffer, value: Buffer | null): void {
    const shard = this.#shards.get(partition);
    if (shard === undefined) return;
    const decoded = this.#keySerde.deserialize(key);
    if (value === null) shard.delete(decoded);
    else shard.set(decoded, JSON.parse(value.toString('utf8')) as V);
  }

  #write(key: K, value: V | undefined): void {
    const scope = currentHandlerScope();
    if (scope === undefined || scope.service !== this.#service) {
      throw new StateStoreWriteError(
        this.name,
        `only handlers of "${this.#service}" may write it. Change state by publishing an event the owner handles.`,
      );
    }
    const keyBytes = this.#keySerde.serialize(key);
    const partition = partitionForKey(keyBytes, this.#partitions);
    if (partition !== scope.partition) {
      throw new StateStoreWriteError(
        this.name,
        `key ${JSON.stringify(key)} belongs to partition ${partition}, but the record being handled is on partition ${scope.partition}. Key the input by the store key (republish it to a topic keyed that way), so every key has one writer.`,
      );
    }
    const valueBytes = value === undefined ? null : Buffer.from(JSON.stringify(value), 'utf8');
    scope.writes.record(this.name, this.#keyId(key), value, value === undefined, {
      changelog: {
        topic: this.changelogTopic,
        record: {
          key: keyBytes,
          value: valueBytes,
          partition,
          headers: { [HeaderNames.PRODUCER]: this.#service },
        },
      },
      apply: () => {
        const shard = this.#shards.get(partition);
        if (shard === undefined) return;
        if (value === undefined) shard.delete(key);
        else shard.set(key, value);
      },
    });
  }

  #keyId(key: K): string {
    return `${typeof key}:${String(key)}`;
  }

  #shardOf(key: K): Map<K, V> | undefined {
    return this.#shards.get(partitionForKey(this.#keySerde.serialize(key), this.#partitions));
  }
}

import { StateStoreWriteError } from '../../errors/state-store-write-error';
import { HeaderNames } from '../../model/topics/header-names';
import type { OutgoingRecord, TopicPartition, Transport } from '../../transport/transport';
import { restoreChangelog } from '../changelog-restorer';
import { currentHandlerScope } from '../handler-scope';
import type { RestoreTracker } from '../restore-progress';
import type { ChangelogEngine } from './changelog-engine';
import type { ChangelogEntry } from './changelog-entry';

interface PartitionEngine<E> {
  readonly engine: E;
  /** The engine's state as the changelog has it: what a failed attempt is rolled back to. */
  readonly committed: Map<string, unknown>;
}

/**
 * One stream engine per input partition, as Kafka Streams keeps one per task: stream time and
 * windows are per partition, and partition i's entries go to partition i of the changelog (not
 * hashed by entry id), so a partition's engine is restored from exactly its own history.
 */
export class EngineStateStore<E extends ChangelogEngine> {
  readonly name: string;
  readonly changelogTopic: string;
  readonly #service: string;
  readonly #create: () => E;
  readonly #engines = new Map<number, PartitionEngine<E>>();

  constructor(service: string, name: string, changelogTopic: string, create: () => E) {
    this.#service = service;
    this.name = name;
    this.changelogTopic = changelogTopic;
    this.#create = create;
  }

  get lateCount(): number {
    let late = 0;
    for (const { engine } of this.#engines.values()) late += engine.lateCount;
    return late;
  }

  /** Runs `operation` on the engine of the record being handled and logs what it changed. */
  run<T>(operation: (engine: E) => T): T {
    const scope = currentHandlerScope();
    if (scope === undefined || scope.service !== this.#service) {
      throw new StateStoreWriteError(this.name, `only handlers of "${this.#service}" may use it.`);
    }
    const held = this.#engines.get(scope.partition);
    if (held === undefined) {
      throw new StateStoreWriteError(
        this.name,
        `partition ${scope.partition} is not held by this instance.`,
      );
    }
    const result = operation(held.engine);
    const changes = held.engine.snapshotChanges();
    if (changes.length > 0) {
      scope.writes.effect({
        changelog: changes.map((change) => ({
          topic: this.changelogTopic,
          record: this.#record(change, scope.partition),
        })),
        apply: () => {
          for (const change of changes) {
            if (change.value === null) held.committed.delete(change.id);
            else held.committed.set(change.id, change.value);
          }
        },
        discard: () => held.engine.restore(entriesOf(held.committed)),
      });
    }
    return result;
  }

  /**
   * Restores the new partitions' engines from the changelog; `tracker` follows the restore, and
   * `signal` abandons it (the service stops).
   */
  async assigned(
    assignment: readonly TopicPartition[],
    transport: Transport,
    tracker?: RestoreTracker,
    signal?: AbortSignal,
  ): Promise<void> {
    const fresh = [...new Set(assignment.map((tp) => tp.partition))].filter(
      (p) => !this.#engines.has(p),
    );
    const restored = new Map(fresh.map((p) => [p, new Map<string, unknown>()]));
    await restoreChangelog(
      transport,
      this.changelogTopic,
      fresh,
      (record) => {
        const committed = restored.get(record.partition);
        if (committed === undefined || record.key === null) return;
        const id = record.key.toString('utf8');
        if (record.value === null) committed.delete(id);
        else committed.set(id, JSON.parse(record.value.toString('utf8')) as unknown);
      },
      { tracker, signal },
    );
    for (const [partition, committed] of restored) {
      const engine = this.#create();
      engine.restore(entriesOf(committed));
      this.#engines.set(partition, { engine, committed });
    }
  }

  revoked(revoked: readonly TopicPartition[]): void {
    for (const { partition } of revoked) this.#engines.delete(partition);
  }

  #record(change: ChangelogEntry<unknown>, partition: number): OutgoingRecord {
    return {
      key: Buffer.from(change.id, 'utf8'),
      value: change.value === null ? null : Buffer.from(JSON.stringify(change.value), 'utf8'),
      partition,
      headers: { [HeaderNames.PRODUCER]: this.#service },
    };
  }
}

function entriesOf(committed: ReadonlyMap<string, unknown>): ChangelogEntry<unknown>[] {
  return [...committed].map(([id, value]) => ({ id, value }));
}

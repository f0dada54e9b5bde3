import type { OutgoingRecord, RecordOutput } from '../transport/transport';

/** One pending change: a value, or undefined for a delete. */
interface PendingWrite {
  readonly apply: () => void;
  readonly changelog: { readonly topic: string; readonly record: OutgoingRecord };
}

export interface StateEffect {
  readonly changelog: readonly { readonly topic: string; readonly record: OutgoingRecord }[];
  readonly apply: () => void;
  readonly discard: () => void;
}

interface PendingPublish {
  readonly topic: string;
  readonly record: OutgoingRecord;
}

const FLUSH = { flush: true } as const;

/** What flushing an attempt that wrote nothing resolves with. */
const FLUSHED: Promise<void> = Promise.resolve();

/**
 * Everything one handler attempt writes: its publishes and its state-store writes. Reads see the
 * store writes at once (read your writes); all of it reaches the output and the stores only when
 * the attempt succeeded, so a retried or dead-lettered record leaves neither half-applied state
 * nor duplicate events behind. Most records write nothing, so nothing is allocated until they do.
 */
export class StateWriteBuffer {
  #writes: Map<string, PendingWrite> | undefined;
  #overlay: Map<string, { value: unknown; deleted: boolean }> | undefined;
  /** Changes made in place by stream engines: logged on success, undone on failure. */
  #effects: StateEffect[] | undefined;
  #publishes: PendingPublish[] | undefined;
  /** Flushed or discarded: the attempt is over. */
  #closed = false;

  get isEmpty(): boolean {
    return (
      this.#writes === undefined && this.#effects === undefined && this.#publishes === undefined
    );
  }

  /**
   * Buffers a publish of this attempt. With `flush`, what the attempt buffered so far and this
   * record are handed to the output now, and the promise waits for the broker: those records stay
   * written even if the attempt fails later. Once the attempt is over (a publish nobody awaited),
   * the record goes straight to the output, as there is nothing left to join.
   */
  publish(
    output: RecordOutput,
    topic: string,
    record: OutgoingRecord,
    flush: boolean,
  ): Promise<void> | undefined {
    if (this.#closed) return output.produce(topic, [record], flush ? FLUSH : undefined);
    (this.#publishes ??= []).push({ topic, record });
    return flush ? this.#sendPublishes(output, true) : undefined;
  }

  /** An engine already changed itself; its changelog records go out only if the attempt succeeds. */
  effect(effect: StateEffect): void {
    (this.#effects ??= []).push(effect);
  }

  /** The attempt failed: undo what engines changed in place, forget the pending writes. */
  discard(): void {
    this.#closed = true;
    const effects = this.#effects;
    this.#effects = undefined;
    if (effects !== undefined) for (const effect of effects.reverse()) effect.discard();
    this.#writes = undefined;
    this.#overlay = undefined;
    this.#publishes = undefined;
  }

  record(
    store: string,
    keyId: string,
    value: unknown,
    deleted: boolean,
    write: PendingWrite,
  ): void {
    const id = `${store}\u0000${keyId}`;
    const writes = (this.#writes ??= new Map());
    // Only the last write of a key in one attempt matters.
    writes.delete(id);
    writes.set(id, write);
    (this.#overlay ??= new Map()).set(id, { value, deleted });
  }

  /** What this attempt wrote for the key, if anything. */
  pending(store: string, keyId: string): { value: unknown; deleted: boolean } | undefined {
    return this.#overlay?.get(`${store}\u0000${keyId}`);
  }

  /**
   * The attempt succeeded: sends its publishes (in the order they were made), then the changelog
   * records through the handler's output, then applies the writes locally.
   */
  flush(output: RecordOutput): Promise<void> {
    // Publishes only (a relay, most stateless handlers): no promise of its own around the output's.
    if (this.#writes === undefined && this.#effects === undefined) {
      this.#closed = true;
      return this.#publishes === undefined ? FLUSHED : this.#sendPublishes(output, false);
    }
    return this.#flushAll(output);
  }

  async #flushAll(output: RecordOutput): Promise<void> {
    this.#closed = true;
    if (this.#publishes !== undefined) await this.#sendPublishes(output, false);
    const writes = this.#writes;
    const effects = this.#effects;
    this.#writes = undefined;
    this.#overlay = undefined;
    this.#effects = undefined;
    const byTopic = new Map<string, OutgoingRecord[]>();
    const add = (changelog: PendingWrite['changelog']): void => {
      const records = byTopic.get(changelog.topic);
      if (records === undefined) byTopic.set(changelog.topic, [changelog.record]);
      else records.push(changelog.record);
    };
    for (const write of writes?.values() ?? []) add(write.changelog);
    for (const effect of effects ?? []) for (const changelog of effect.changelog) add(changelog);
    for (const [topic, records] of byTopic) await output.produce(topic, records);
    for (const write of writes?.values() ?? []) write.apply();
    for (const effect of effects ?? []) effect.apply();
  }

  /** One produce per run of publishes to the same topic, so order per topic and key is kept. */
  #sendPublishes(output: RecordOutput, flush: boolean): Promise<void> {
    const publishes = this.#publishes ?? [];
    this.#publishes = undefined;
    if (publishes.length === 1) {
      const [only] = publishes;
      return output.produce(only.topic, [only.record], flush ? FLUSH : undefined);
    }
    return this.#sendRuns(output, publishes, flush);
  }

  async #sendRuns(
    output: RecordOutput,
    publishes: readonly PendingPublish[],
    flush: boolean,
  ): Promise<void> {
    for (let start = 0; start < publishes.length;) {
      const topic = publishes[start].topic;
      let end = start + 1;
      while (end < publishes.length && publishes[end].topic === topic) end++;
      const records = publishes.slice(start, end).map((p) => p.record);
      // Only the last request needs to wait: it is acknowledged after everything buffered before it.
      const last = end === publishes.length;
      await output.produce(topic, records, flush && last ? FLUSH : undefined);
      start = end;
    }
  }
}

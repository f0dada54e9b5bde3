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

/**
 * The state-store writes of one handler attempt. Reads see them at once (read your writes); they
 * reach the stores and the changelogs only when the attempt succeeded, so a retried or
 * dead-lettered record leaves no half-applied state behind.
 */
export class StateWriteBuffer {
  readonly #writes = new Map<string, PendingWrite>();
  readonly #overlay = new Map<string, { value: unknown; deleted: boolean }>();
  /** Changes made in place by stream engines: logged on success, undone on failure. */
  readonly #effects: StateEffect[] = [];

  /** An engine already changed itself; its changelog records go out only if the attempt succeeds. */
  effect(effect: StateEffect): void {
    this.#effects.push(effect);
  }

  /** The attempt failed: undo what engines changed in place, forget the pending writes. */
  discard(): void {
    for (const effect of this.#effects.splice(0).reverse()) effect.discard();
    this.#writes.clear();
    this.#overlay.clear();
  }

  record(
    store: string,
    keyId: string,
    value: unknown,
    deleted: boolean,
    write: PendingWrite,
  ): void {
    const id = `${store}\u0000${keyId}`;
    // Only the last write of a key in one attempt matters.
    this.#writes.delete(id);
    this.#writes.set(id, write);
    this.#overlay.set(id, { value, deleted });
  }

  /** What this attempt wrote for the key, if anything. */
  pending(store: string, keyId: string): { value: unknown; deleted: boolean } | undefined {
    return this.#overlay.get(`${store}\u0000${keyId}`);
  }

  /** Sends the changelog records through the handler's output, then applies the writes locally. */
  async flush(output: RecordOutput): Promise<void> {
    const byTopic = new Map<string, OutgoingRecord[]>();
    const changelogs = [
      ...[...this.#writes.values()].map((w) => w.changelog),
      ...this.#effects.flatMap((e) => e.changelog),
    ];
    for (const changelog of changelogs) {
      byTopic.set(changelog.topic, [...(byTopic.get(changelog.topic) ?? []), changelog.record]);
    }
    for (const [topic, records] of byTopic) await output.produce(topic, records);
    for (const { apply } of this.#writes.values()) apply();
    for (const { apply } of this.#effects.splice(0)) apply();
    this.#writes.clear();
    this.#overlay.clear();
  }
}

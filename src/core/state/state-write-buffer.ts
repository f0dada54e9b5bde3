import type { OutgoingRecord, RecordOutput } from '../transport/transport';

/** One pending change: a value, or undefined for a delete. */
interface PendingWrite {
  readonly apply: () => void;
  readonly changelog: { readonly topic: string; readonly record: OutgoingRecord };
}

/**
 * The state-store writes of one handler attempt. Reads see them at once (read your writes); they
 * reach the stores and the changelogs only when the attempt succeeded, so a retried or
 * dead-lettered record leaves no half-applied state behind.
 */
export class StateWriteBuffer {
  readonly #writes = new Map<string, PendingWrite>();
  readonly #overlay = new Map<string, { value: unknown; deleted: boolean }>();

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
    for (const { changelog } of this.#writes.values()) {
      byTopic.set(changelog.topic, [...(byTopic.get(changelog.topic) ?? []), changelog.record]);
    }
    for (const [topic, records] of byTopic) await output.produce(topic, records);
    for (const { apply } of this.#writes.values()) apply();
    this.#writes.clear();
    this.#overlay.clear();
  }
}

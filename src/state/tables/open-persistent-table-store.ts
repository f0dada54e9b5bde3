import { mkdirSync } from 'node:fs';

import { ConfigurationError } from '../../errors/configuration-error';
import type { TopicKey } from '../../model/topics/key-serde';
import { LmdbTableStore } from './lmdb-table-store';
import type { TableStoreHeader } from './table-store-header';
import { headerChange, TABLE_STORE_FORMAT } from './table-store-header';
import { lockTableStore } from './table-store-lock';
import { TableStoreMismatchError } from './table-store-mismatch-error';

export interface PersistentTableRequest {
  /** The table's name in messages, `<service>.<property>`. */
  readonly table: string;
  /** Its folder, created if missing. */
  readonly dir: string;
  readonly topic: string;
  readonly partitions: number;
  /** Clear the store and read the topic from offset 0 (the app option rebuildTables). */
  readonly rebuild: boolean;
}

export interface OpenedTableStore<K extends TopicKey, V> {
  readonly store: LmdbTableStore<K, V>;
  /** Undefined when the store resumes where it stopped; else why it starts from offset 0. */
  readonly rebuildReason: string | undefined;
}

/**
 * Opens the persistent store of one table: takes its folder's lock, then reuses the store if it
 * was built from the same topic and partition count, empties it (to be read from offset 0) when
 * asked to or when its header is missing or unreadable, and refuses it when its source changed.
 */
export async function openPersistentTableStore<K extends TopicKey, V>(
  request: PersistentTableRequest,
): Promise<OpenedTableStore<K, V>> {
  const { table, dir } = request;
  mkdirSync(dir, { recursive: true });
  const release = lockTableStore(dir);
  let store: LmdbTableStore<K, V>;
  try {
    store = LmdbTableStore.open<K, V>(dir, release);
  } catch (error) {
    release();
    throw new ConfigurationError(
      `Persistent table "${table}" cannot open its store at ${dir}: ${String(error)}. Delete the folder; the view is then rebuilt from the log.`,
    );
  }
  const wanted: TableStoreHeader = {
    format: TABLE_STORE_FORMAT,
    topic: request.topic,
    partitions: request.partitions,
  };
  const stored = store.storedHeader();
  let rebuildReason: string | undefined;
  if (request.rebuild) rebuildReason = 'the app option rebuildTables is set';
  else if (stored.state === 'missing') rebuildReason = 'the store is new (it has no header)';
  else if (stored.state === 'corrupt') rebuildReason = `the store is unreadable: ${stored.problem}`;
  else {
    const change = headerChange(stored.header, wanted);
    if (change !== undefined) {
      await store.close();
      throw new TableStoreMismatchError(table, dir, change);
    }
  }
  if (rebuildReason !== undefined) await store.reset(wanted);
  return { store, rebuildReason };
}

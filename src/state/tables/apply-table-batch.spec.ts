import { type Price, pricesTopic } from '../../../test/fixtures/prices';
import { ManualClock } from '../../clock/manual-clock';
import { buildEnvelope } from '../../codec/envelope';
import type { ReadRecord } from '../../codec/read-record';
import { TopicCodec } from '../../codec/topic-codec';
import { TransportError } from '../../errors/transport-error';
import type { Logger } from '../../logging/logger';
import { SilentLogger } from '../../logging/silent-logger';
import type { TopicDefinition } from '../../model/topics/topic-definition';
import type { DeliveredRecord } from '../../transport/transport';
import { applyTableBatch, type TableBatchTarget } from './apply-table-batch';
import { SkippedRecords } from './apply-table-record';
import { MaterializedTable } from './materialized-table';
import { MemoryTableStore } from './memory-table-store';
import type { TableStore } from './table-store';

const Prices = pricesTopic(1);

let nextOffset = 0;
function price(sku: string, cents: number): DeliveredRecord {
  const { record } = buildEnvelope(Prices, { sku, cents }, { producer: 'pricing', timestamp: 0 });
  return delivered(record.key, record.value, record.headers ?? {});
}
function tombstone(sku: string): DeliveredRecord {
  return delivered(Buffer.from(sku), null, {});
}
function unreadable(sku: string): DeliveredRecord {
  return delivered(Buffer.from(sku), Buffer.from('{not json'), {});
}
function delivered(
  key: Buffer | null,
  value: Buffer | null,
  headers: Readonly<Record<string, string>>,
): DeliveredRecord {
  return {
    topic: Prices.name,
    partition: 0,
    offset: nextOffset++,
    key,
    value,
    headers,
    timestamp: 0,
  };
}

/** Decodes the record at `offset` through a promise, as a codec that asks the registry does. */
class SlowOnceCodec extends TopicCodec {
  readonly #offset: number;
  readonly #fail: boolean;
  constructor(offset: number, fail = false) {
    super();
    this.#offset = offset;
    this.#fail = fail;
  }
  override decode(
    topic: TopicDefinition,
    record: DeliveredRecord,
  ): ReadRecord | Promise<ReadRecord> {
    if (record.offset !== this.#offset) return super.decode(topic, record);
    if (this.#fail)
      throw new TransportError('the schema registry did not answer', { retriable: true });
    return new Promise((resolve) => setImmediate(() => resolve(super.decode(topic, record))));
  }
}

describe('applyTableBatch', () => {
  let store: MemoryTableStore<string, Price>;
  let table: MaterializedTable<string, Price>;
  const target = (values = new TopicCodec()): TableBatchTarget<string, Price> => ({
    topic: Prices,
    table,
    values,
    logger: new SilentLogger(),
  });

  beforeEach(() => {
    nextOffset = 0;
    store = new MemoryTableStore({ trackPartitions: false });
    table = new MaterializedTable('pricing.prices', store, new ManualClock());
  });

  it('applies a batch in offset order in one store write: later values win, tombstones delete', () => {
    const writes = jest.spyOn(store, 'writeBatch');
    const batch = [price('a', 1), price('b', 2), price('a', 3), tombstone('b'), price('c', 4)];

    expect(applyTableBatch(target(), batch)).toBeUndefined();
    expect([...store.entries()]).toEqual([
      ['a', { sku: 'a', cents: 3 }],
      ['c', { sku: 'c', cents: 4 }],
    ]);
    expect([...store.positions()]).toEqual([[0, 5]]);
    expect(writes).toHaveBeenCalledTimes(1);
  });

  it('skips what the store already holds, so a batch delivered again applies nothing twice', () => {
    const batch = [price('a', 1), price('a', 2), price('a', 3)];
    expect(applyTableBatch(target(), batch.slice(0, 2))).toBeUndefined();
    const changes: string[] = [];
    table.onChange(() => changes.push('changed'));

    expect(applyTableBatch(target(), batch)).toBeUndefined();
    expect(changes).toEqual(['changed']);
    expect(store.get('a')).toEqual({ sku: 'a', cents: 3 });
    expect([...store.positions()]).toEqual([[0, 3]]);
  });

  it('leaves out a record it cannot read, counts it, and applies the rest of the batch', () => {
    const skipped = new SkippedRecords();
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      error: () => undefined,
      warn: (message) => void warnings.push(message),
      child: () => logger,
    };

    const batch = [price('a', 1), unreadable('b'), price('c', 2)];
    expect(applyTableBatch(target(), batch, skipped)).toBeUndefined();
    skipped.report(logger, Prices.name);
    expect([...store.entries()].map(([key]) => key)).toEqual(['a', 'c']);
    expect(warnings).toEqual(['table left out records it cannot read while restoring']);
  });

  it('waits for a record decoded through a promise before the records after it, keeping their order', async () => {
    const batch = [price('a', 1), price('a', 2), price('a', 3), price('b', 4)];
    const applied = applyTableBatch(target(new SlowOnceCodec(1)), batch);

    expect(applied).toBeInstanceOf(Promise);
    expect(store.get('a')).toEqual({ sku: 'a', cents: 1 });
    expect(store.has('b')).toBe(false);
    await applied;
    expect(store.get('a')).toEqual({ sku: 'a', cents: 3 });
    expect(store.get('b')).toEqual({ sku: 'b', cents: 4 });
    expect([...store.positions()]).toEqual([[0, 4]]);
  });

  it('throws a retriable error for redelivery, keeping the records before it and nothing after', () => {
    const batch = [price('a', 1), price('b', 2), price('c', 3)];

    expect(() => applyTableBatch(target(new SlowOnceCodec(1, true)), batch)).toThrow(
      TransportError,
    );
    expect([...store.entries()].map(([key]) => key)).toEqual(['a']);
    expect([...store.positions()]).toEqual([[0, 1]]);
  });

  it('hands a store that writes JSON each value with the JSON text its record carried', () => {
    const put = jest.spyOn(store as TableStore<string, Price>, 'put');
    const batch = [price('a', 1), tombstone('a'), price('b', 2)];

    expect(applyTableBatch(target(), batch.slice(0, 1))).toBeUndefined();
    expect(put.mock.calls).toEqual([['a', { sku: 'a', cents: 1 }, 0, 1, undefined]]);
    // Only a store that writes JSON is handed the bytes (and the codec asked for them).
    Object.defineProperty(store, 'writesJson', { value: true });
    expect(applyTableBatch(target(), batch)).toBeUndefined();
    expect(put.mock.calls.slice(1)).toEqual([['b', { sku: 'b', cents: 2 }, 0, 3, batch[2].value]]);
    expect(put.mock.calls[1][4]).toBe(batch[2].value);
  });

  it('hands back the backpressure of the store after the batch, so the reader waits for its writes', async () => {
    let written!: () => void;
    const behind = new Promise<void>((resolve) => (written = resolve));
    const backpressure = jest.spyOn(store, 'backpressure').mockReturnValueOnce(behind);

    const applied = applyTableBatch(target(), [price('a', 1), price('b', 2)]);

    expect(applied).toBe(behind);
    expect(backpressure).toHaveBeenCalledTimes(1);
    expect([...store.entries()].map(([key]) => key)).toEqual(['a', 'b']);
    written();
    await applied;
    expect(applyTableBatch(target(), [price('c', 3)])).toBeUndefined();
  });
});

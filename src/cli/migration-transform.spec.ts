import type { DeliveredRecord } from '../transport/transport';
import { migrationMap } from './migration-transform';

const record = (over: Partial<DeliveredRecord> = {}): DeliveredRecord => ({
  topic: 'orders',
  partition: 1,
  offset: 7,
  key: Buffer.from('o-1'),
  value: Buffer.from('{"total":5}'),
  headers: { 'sw-event-id': 'e1' },
  timestamp: 1000,
  ...over,
});

describe('migrationMap', () => {
  it('hands the transform the key as text and the value parsed, and writes its value as JSON', async () => {
    const seen: unknown[] = [];
    const map = migrationMap((input) => {
      seen.push(input);
      return { value: { amount: (input.value as { total: number }).total } };
    });
    const copied = await map(record());
    expect(seen).toEqual([
      {
        key: 'o-1',
        value: { total: 5 },
        headers: { 'sw-event-id': 'e1' },
        timestamp: 1000,
        partition: 1,
        offset: 7,
      },
    ]);
    expect(copied).toEqual({
      key: Buffer.from('o-1'),
      value: Buffer.from('{"amount":5}'),
      headers: { 'sw-event-id': 'e1' },
    });
  });

  it('changes the key and headers when told, drops on undefined, writes tombstones for null', async () => {
    const changed = await migrationMap(() => ({ key: 'c-9', value: null, headers: {} }))(record());
    expect(changed).toEqual({ key: Buffer.from('c-9'), value: null, headers: {} });
    expect(await migrationMap(() => undefined)(record())).toBeUndefined();
    const tombstone = await migrationMap((input) => ({ value: input.value }))(
      record({ value: null }),
    );
    expect(tombstone?.value).toBeNull();
  });

  it('names the record whose value is not JSON', async () => {
    await expect(
      migrationMap(() => ({ value: 1 }))(record({ value: Buffer.from([0, 0, 0, 0, 1, 123]) })),
    ).rejects.toThrow('orders[1]@7 is not a JSON value');
  });
});

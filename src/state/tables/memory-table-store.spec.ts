import { MemoryTableStore } from './memory-table-store';

describe('MemoryTableStore', () => {
  it('drops the rows and position of one partition when it tracks partitions (the default)', async () => {
    const store = new MemoryTableStore<string, number>();
    store.put('a', 1, 0, 1);
    store.put('b', 2, 1, 1);
    store.put('a', 3, 0, 2);
    await store.dropPartition(0);
    expect([...store.entries()]).toEqual([['b', 2]]);
    expect([...store.positions()]).toEqual([[1, 1]]);
  });

  it('without partition tracking keeps the same rows and positions, and refuses to drop one', async () => {
    const store = new MemoryTableStore<string, number>({ trackPartitions: false });
    store.put('a', 1, 0, 1);
    store.put('b', 2, 1, 1);
    store.remove('a', 0, 2);
    expect([...store.entries()]).toEqual([['b', 2]]);
    expect([...store.positions()]).toEqual([
      [0, 2],
      [1, 1],
    ]);
    await expect(store.dropPartition(1)).rejects.toThrow('trackPartitions: true');
  });
});

import { PendingChanges } from './pending-changes';

describe('PendingChanges', () => {
  const read = (id: string) => `value of ${id}`;

  it('reports each changed id once, with its value at drain time', () => {
    const changes = new PendingChanges();
    changes.written('a');
    changes.written('b');
    changes.written('a');
    expect(changes.drain(read)).toEqual([
      { id: 'a', value: 'value of a' },
      { id: 'b', value: 'value of b' },
    ]);
    expect(changes.drain(read)).toEqual([]);
  });

  it('reports a tombstone only for an id the changelog holds', () => {
    const changes = new PendingChanges();
    changes.written('kept');
    changes.drain(read);
    changes.deleted('kept');
    changes.written('fleeting');
    changes.deleted('fleeting');
    expect(changes.drain(read)).toEqual([{ id: 'kept', value: null }]);
    changes.deleted('kept'); // already deleted on the changelog
    expect(changes.drain(read)).toEqual([]);
  });

  it('writes a value again after a delete in the same interval', () => {
    const changes = new PendingChanges();
    changes.written('a');
    changes.drain(read);
    changes.deleted('a');
    changes.written('a');
    expect(changes.drain(read)).toEqual([{ id: 'a', value: 'value of a' }]);
  });

  it('turns a write whose value is gone into a tombstone', () => {
    const changes = new PendingChanges();
    changes.written('a');
    expect(changes.drain(() => undefined)).toEqual([{ id: 'a', value: null }]);
  });

  it('after reset, knows the restored ids are on the changelog', () => {
    const changes = new PendingChanges();
    changes.written('pending');
    changes.reset(['restored']);
    changes.deleted('restored');
    expect(changes.drain(read)).toEqual([{ id: 'restored', value: null }]);
  });
});

import { RecordingLogger } from '../../test/support/recording-logger';
import { PartitionFloors } from './partition-floors';

const PARTITION = { topic: 'orders', partition: 1 };
const KEY = 'orders/1';

function subject() {
  const logger = new RecordingLogger();
  return { floors: new PartitionFloors(logger), warnings: () => logger.messages };
}

describe('PartitionFloors', () => {
  it("says nothing when an assignment's first batch starts below the group's committed offset (kafkajs read it before the transactions settled)", () => {
    const { floors, warnings } = subject();
    floors.start(KEY, PARTITION, 10);
    floors.checkStart(KEY, PARTITION, 4);
    expect({ floor: floors.get(KEY), warnings: warnings() }).toEqual({ floor: 10, warnings: [] });
  });

  it('keeps what the transactions committed when the partition leaves and comes back', () => {
    const { floors } = subject();
    floors.start(KEY, PARTITION, undefined);
    floors.committed(KEY, 7);
    floors.forget(KEY);
    expect(floors.has(KEY)).toBe(false);
    expect(floors.start(KEY, PARTITION, 4)).toBe(7);
    expect(floors.get(KEY)).toBe(7);
    // A higher committed offset (another member went on meanwhile) wins, and needs no repair.
    floors.clear();
    expect(floors.start(KEY, PARTITION, 12)).toBeUndefined();
    expect(floors.get(KEY)).toBe(12);
  });

  it('sets no floor for a commit that ends after its assignment did (the next one reads it)', () => {
    const { floors } = subject();
    floors.start(KEY, PARTITION, 3);
    floors.clear();
    floors.committed(KEY, 5);
    expect(floors.has(KEY)).toBe(false);
  });
});

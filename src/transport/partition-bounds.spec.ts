import { TopicMismatchError } from '../errors/topic-mismatch-error';
import { PartitionCounts } from './partition-bounds';

describe('PartitionCounts', () => {
  const broker = () => {
    const asked: string[] = [];
    let count = 3;
    return {
      asked,
      grow: (to: number) => void (count = to),
      counts: new PartitionCounts((topic) => {
        asked.push(topic);
        return Promise.resolve(count);
      }),
    };
  };

  it('asks the broker once per topic, again when told to refresh or to forget it', async () => {
    const { asked, counts, grow } = broker();
    expect(await counts.get('t')).toBe(3);
    expect(await counts.get('t')).toBe(3);
    expect(asked).toEqual(['t']);
    grow(5);
    expect(await counts.get('t', true)).toBe(5);
    counts.forget(['t']);
    expect(await counts.get('t')).toBe(5);
    expect(asked).toEqual(['t', 't', 't']);
  });

  it('checks partitions against a known count without a promise, and asks again before refusing', async () => {
    const { asked, counts, grow } = broker();
    counts.set('t', 3);
    expect(counts.validate('t', [0, 2])).toBeUndefined();
    expect(asked).toEqual([]);
    grow(4);
    await expect(counts.validate('t', [3])).resolves.toBeUndefined();
    expect(asked).toEqual(['t']);
    await expect(counts.validate('t', [9])).rejects.toThrow(TopicMismatchError);
  });
});

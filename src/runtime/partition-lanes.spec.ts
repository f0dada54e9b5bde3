import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { State } from '../decorators/state';
import type { StateStore } from '../state/stores/state-store';
import { TestBed } from '../testing/test-bed';
import { PartitionLanes } from './partition-lanes';
import { StreamService } from './stream-service';

const Left = defineTopic<{ key: string }>({
  name: 'left',
  entity: 'L',
  key: (v) => v.key,
  partitions: 2,
});
const Right = defineTopic<{ key: string }>({
  name: 'right',
  entity: 'R',
  key: (v) => v.key,
  partitions: 2,
});

@Service('both-sides')
@OwnsTopic(Left, Right)
class BothSides extends StreamService {}

/** Read, yield, write: two handlers interleaving on one key would lose updates. */
@Service('counter')
class Counter extends StreamService {
  @State('counts')
  readonly counts!: StateStore<string, number>;

  async #bump(key: string): Promise<void> {
    const before = this.counts.get(key) ?? 0;
    await new Promise((resolve) => setImmediate(resolve));
    this.counts.put(key, before + 1);
  }

  @EventHandler(Left)
  left(v: { key: string }): Promise<void> {
    return this.#bump(v.key);
  }

  @EventHandler(Right)
  right(v: { key: string }): Promise<void> {
    return this.#bump(v.key);
  }
}

describe('records of one partition number run one at a time across co-partitioned topics', () => {
  it('loses no update to a store shared by handlers of two topics', async () => {
    const bed = await TestBed.start([BothSides, Counter]);
    for (let i = 0; i < 20; i++) {
      await bed.send(Left, { key: 'k' });
      await bed.send(Right, { key: 'k' });
    }
    await bed.drain();
    expect(bed.service(Counter).counts.get('k')).toBe(40);
    await bed.stop();
  });

  it('keeps arrival order within a lane and lets other lanes run meanwhile', async () => {
    const lanes = new PartitionLanes();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const a1 = lanes.run(0, async () => {
      await gate;
      log.push('a1');
    });
    const a2 = lanes.run(0, () => Promise.resolve(void log.push('a2')));
    const b1 = lanes.run(1, () => Promise.resolve(void log.push('b1')));
    await b1;
    expect(log).toEqual(['b1']);
    release();
    await Promise.all([a1, a2]);
    expect(log).toEqual(['b1', 'a1', 'a2']);
    await expect(lanes.run(0, () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(lanes.run(0, () => Promise.resolve(1))).resolves.toBe(1);
  });
});

import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import type { EventContext } from '../model/service/event-context';
import { StreamService } from '../runtime/stream-service';
import { TestBed } from './test-bed';

interface Tick {
  key: string;
  seq: number;
}
const Ticks = defineTopic<Tick>({
  name: 'ticks',
  entity: 'Tick',
  key: (t) => t.key,
  partitions: 6,
});

@Service('tick-source')
@OwnsTopic(Ticks)
class TickSource extends StreamService {}

/** Every instance appends to one shared log, as a downstream system would see them. */
const handled: { instance: number; key: string; seq: number; partition: number }[] = [];
let instances = 0;

@Service('tick-counter')
class TickCounter extends StreamService {
  readonly instance = ++instances;

  @EventHandler(Ticks)
  async count(tick: Tick, ctx: EventContext): Promise<void> {
    await Promise.resolve();
    handled.push({
      instance: this.instance,
      key: tick.key,
      seq: tick.seq,
      partition: ctx.partition,
    });
  }
}

describe('rebalancing on the memory transport', () => {
  let bed: TestBed;
  afterEach(() => bed.stop());
  beforeEach(() => {
    handled.length = 0;
  });

  it('splits partitions when an instance joins and hands them back when it leaves, losing nothing and keeping per-key order', async () => {
    bed = await TestBed.start([TickSource, TickCounter]);
    const keys = Array.from({ length: 12 }, (_, i) => `key-${i}`);
    let seq = 0;
    const sendRound = async () => {
      for (const key of keys) await bed.send(Ticks, { key, seq: seq++ });
    };

    await sendRound();
    const second = await bed.startInstance([TickCounter]);
    const firstAssignment = bed.app.subscriptionOf(TickCounter)?.assignment() ?? [];
    const secondAssignment = second.subscriptionOf(TickCounter)?.assignment() ?? [];
    expect(firstAssignment).toHaveLength(3);
    expect(secondAssignment).toHaveLength(3);

    // Records written while the group rebalances and while both run.
    await sendRound();
    await sendRound();
    await bed.drain();
    expect(new Set(handled.map((h) => h.instance)).size).toBe(2);

    await second.stop();
    expect(bed.app.subscriptionOf(TickCounter)?.assignment()).toHaveLength(6);
    await sendRound();
    await bed.drain();

    expect(handled.map((h) => h.seq).sort((a, b) => a - b)).toEqual([...Array(seq).keys()]);
    for (const key of keys) {
      const seqs = handled.filter((h) => h.key === key).map((h) => h.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });

  it('lets a stopped group resume from its committed offsets without reprocessing', async () => {
    bed = await TestBed.start([TickSource, TickCounter]);
    for (let i = 0; i < 10; i++) await bed.send(Ticks, { key: `k${i}`, seq: i });
    await bed.drain();
    await bed.app.stop();
    for (let i = 10; i < 15; i++) await bed.send(Ticks, { key: `k${i}`, seq: i });
    await bed.startInstance([TickCounter]);
    await bed.drain();
    expect(handled.map((h) => h.seq).sort((a, b) => a - b)).toEqual([...Array(15).keys()]);
  });
});

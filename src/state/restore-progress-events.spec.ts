import { type Price, pricesTopic } from '../../test/fixtures/prices';
import { RecordingLogger } from '../../test/support/recording-logger';
import { StreamwiseApp } from '../app/streamwise-app';
import { ManualClock } from '../clock/manual-clock';
import { EventHandler } from '../decorators/event-handler';
import { Materialize } from '../decorators/materialize';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { State } from '../decorators/state';
import { changelogTopicName } from '../model/changelog-topic';
import { StreamService } from '../runtime/stream-service';
import { TestBed } from '../testing/test-bed';
import { MemoryBroker } from '../transport/memory/memory-broker';
import { MemoryTransport } from '../transport/memory/memory-transport';
import type { RestoreProgress } from './restore-progress';
import type { StateStore } from './stores/state-store';
import type { ReadOnlyTable } from './tables/read-only-table';

const Prices = pricesTopic(3);

@Service('price-source')
@OwnsTopic(Prices)
class PriceSource extends StreamService {}

@Service('price-counter')
class PriceCounter extends StreamService {
  @State('changes')
  readonly changes!: StateStore<string, number>;

  @EventHandler(Prices)
  count(price: Price): void {
    this.changes.put(price.sku, (this.changes.get(price.sku) ?? 0) + 1);
  }
}

@Service('price-board')
class PriceBoard extends StreamService {
  @Materialize(Prices)
  readonly prices!: ReadOnlyTable<string, Price>;
}

describe('onRestoreProgress', () => {
  it('tells how a view caught up and how a store restored its changelog, and logs the same', async () => {
    const broker = new MemoryBroker();
    const first = await TestBed.start([PriceSource, PriceCounter], {
      broker,
      schemaRegistry: 'none',
    });
    try {
      for (let i = 0; i < 9; i++) await first.send(Prices, { sku: `s${i % 3}`, cents: i });
      await first.drain();
    } finally {
      await first.stop();
    }

    const clock = new ManualClock();
    const logger = new RecordingLogger();
    const events: RestoreProgress[] = [];
    const app = StreamwiseApp.create({
      services: [PriceCounter, PriceBoard],
      transport: new MemoryTransport({ broker, clock }),
      clock,
      logger,
      http: false,
      onRestoreProgress: (progress) => events.push(progress),
    });
    try {
      await app.start();
      const counted = app.service(PriceCounter).changes;
      expect(['s0', 's1', 's2'].map((sku) => counted.get(sku))).toEqual([3, 3, 3]);
    } finally {
      await app.stop();
    }

    const done = { remaining: 0, recordsPerSecond: 0, elapsedMs: 0, finished: true };
    expect(events).toEqual(
      expect.arrayContaining([
        { kind: 'table', name: 'price-board.prices', topic: 'prices', done: 9, ...done },
        {
          kind: 'store',
          name: 'price-counter.changes',
          topic: changelogTopicName('price-counter', 'changes'),
          done: 9,
          ...done,
        },
      ]),
    );
    expect(events).toHaveLength(2);
    const logged = logger.entries.filter((entry) => entry.message === 'restore finished');
    expect(logged.map((entry) => entry.fields?.name).sort()).toEqual([
      'price-board.prices',
      'price-counter.changes',
    ]);
  });

  it('is checked like every app option: a value that is not a function is refused', () => {
    expect(() =>
      StreamwiseApp.create({
        services: [PriceBoard],
        transport: new MemoryTransport(),
        onRestoreProgress: 'log' as never,
      }),
    ).toThrow('onRestoreProgress');
  });
});

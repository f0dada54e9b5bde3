import { RecordingLogger } from '../../../test/support/recording-logger';
import { defineTopic } from '../../codec/define-topic';
import { Materialize } from '../../decorators/materialize';
import { OwnsTopic } from '../../decorators/owns-topic';
import { Service } from '../../decorators/service';
import { StreamService } from '../../runtime/stream-service';
import { TestBed } from '../../testing/test-bed';
import { MemoryBroker } from '../../transport/memory/memory-broker';
import type { ReadOnlyTable } from './read-only-table';

const Prices = defineTopic<{ sku: string; cents: number }>({
  name: 'restore-logging-prices',
  entity: 'Price',
  key: (p) => p.sku,
  partitions: 2,
  compacted: true,
});

@Service('price-admin')
@OwnsTopic(Prices)
class PriceAdmin extends StreamService {}

@Service('price-reader')
class PriceReader extends StreamService {
  @Materialize(Prices)
  readonly prices!: ReadOnlyTable<string, { sku: string; cents: number }>;
}

@Service('partitioned-price-reader')
class PartitionedPriceReader extends StreamService {
  @Materialize(Prices, { mode: 'partitioned' })
  readonly prices!: ReadOnlyTable<string, { sku: string; cents: number }>;
}

describe('restoring a table with records it cannot read', () => {
  let bed: TestBed | undefined;
  afterEach(async () => {
    await bed?.stop();
    bed = undefined;
  });

  it.each([
    ['a global table', PriceReader],
    ['a partitioned table', PartitionedPriceReader],
  ])('%s logs one warn per restore with the count, not a line per record', async (_, reader) => {
    const broker = new MemoryBroker();
    const first = await TestBed.start([PriceAdmin], { broker });
    for (let i = 0; i < 30; i++)
      await first.sendRaw(Prices, { key: `bad-${i}`, value: '{not json' });
    await first.sendRaw(Prices, { key: 'boots', value: null });
    await first.stop();

    const logger = new RecordingLogger();
    bed = await TestBed.start([PriceAdmin, reader], { broker, logger });
    await bed.drain();
    const about = logger.entries.filter((e) => e.message.includes('cannot read'));
    const summary = about.find((e) => e.level === 'warn');
    expect(summary?.message).toBe('table left out records it cannot read while restoring');
    expect(summary?.fields).toEqual(expect.objectContaining({ skipped: 30 }));
    // A partitioned table's group reads the restored records again: one error line for those.
    expect(about.filter((e) => e.level === 'error').length).toBeLessThanOrEqual(1);
    expect(about.length).toBeLessThanOrEqual(2);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { kafkaBrokers } from '../../../test/support/kafka-env';
import { uniqueName } from '../../../test/support/unique-name';
import { StreamwiseApp } from '../../app/streamwise-app';
import { defineTopic } from '../../codec/define-topic';
import { buildEnvelope, buildTombstone } from '../../codec/envelope';
import { Materialize } from '../../decorators/materialize';
import { Service } from '../../decorators/service';
import { SilentLogger } from '../../logging/silent-logger';
import { StreamService } from '../../runtime/stream-service';
import { KafkaTransport } from '../../transport/kafka/kafka-transport';
import { LmdbTableStore } from './lmdb-table-store';
import { MaterializedTable } from './materialized-table';
import type { ReadOnlyTable } from './read-only-table';

interface Level {
  sku: string;
  units: number;
}

describe('persistent @Materialize on the real broker', () => {
  jest.setTimeout(90_000);
  let stateDir: string;

  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'streamwise-state-'));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const transport = (): KafkaTransport =>
    new KafkaTransport({
      brokers: kafkaBrokers(),
      logger: new SilentLogger(),
      consumer: { maxWaitTimeMs: 100 },
    });

  it('restarts where it stopped: stored rows before onStart, only records written since applied', async () => {
    const Levels = defineTopic<Level>({
      name: uniqueName('levels'),
      entity: 'Level',
      key: (l) => l.sku,
      partitions: 3,
      compacted: true,
    });

    @Service('level-reader')
    class LevelReader extends StreamService {
      @Materialize(Levels, { store: 'persistent' })
      readonly levels!: ReadOnlyTable<string, Level>;
      sizeAtStart = -1;
      override onStart(): void {
        this.sizeAtStart = this.levels.size;
      }
    }
    const app = (): StreamwiseApp =>
      StreamwiseApp.create({
        services: [LevelReader],
        transport: transport(),
        logger: new SilentLogger(),
        http: false,
        stateDir,
      });
    const positionsOnDisk = async (): Promise<number> => {
      const store = LmdbTableStore.open(join(stateDir, 'level-reader', 'levels'));
      const total = [...store.positions().values()].reduce((a, b) => a + b, 0);
      await store.close();
      return total;
    };

    const writer = transport();
    await writer.connect();
    try {
      await writer.createTopics([{ name: Levels.name, partitions: 3, compacted: true }]);
      const write = (level: Level) =>
        writer.produce(Levels.name, [
          buildEnvelope(Levels, level, { producer: 'test', timestamp: Date.now() }).record,
        ]);
      for (let i = 0; i < 12; i++) await write({ sku: `sku-${i % 4}`, units: i });

      const first = await app().start();
      try {
        expect(first.service(LevelReader).sizeAtStart).toBe(4);
        expect(first.service(LevelReader).levels.get('sku-3')).toEqual({ sku: 'sku-3', units: 11 });
      } finally {
        await first.stop();
      }
      expect(await positionsOnDisk()).toBe(12);

      await write({ sku: 'sku-0', units: 100 });
      await write({ sku: 'sku-5', units: 5 });
      await writer.produce(Levels.name, [
        buildTombstone(Levels, 'sku-1', { producer: 'test', timestamp: Date.now() }).record,
      ]);

      const applied = jest.spyOn(MaterializedTable.prototype, 'apply');
      const second = await app().start();
      try {
        const reader = second.service(LevelReader);
        // Caught up before onStart, from the stored positions: exactly the three new records.
        expect(applied).toHaveBeenCalledTimes(3);
        expect(reader.sizeAtStart).toBe(4);
        expect(
          [...reader.levels.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, l]) => l),
        ).toEqual([
          { sku: 'sku-0', units: 100 },
          { sku: 'sku-2', units: 10 },
          { sku: 'sku-3', units: 11 },
          { sku: 'sku-5', units: 5 },
        ]);
        expect(second.readiness.isReady()).toBe(true);
      } finally {
        await second.stop();
      }
      expect(await positionsOnDisk()).toBe(15);
    } finally {
      await writer.deleteTopics([Levels.name]).catch(() => undefined);
      await writer.disconnect();
    }
  });
});

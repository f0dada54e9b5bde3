import { type Price, pricesTopic } from '../../test/fixtures/prices';
import { RecordingLogger } from '../../test/support/recording-logger';
import { waitFor } from '../../test/support/wait-for';
import { SystemClock } from '../clock/system-clock';
import { Materialize } from '../decorators/materialize';
import { Service } from '../decorators/service';
import { AppStateError } from '../errors/app-state-error';
import { RestoreAbandonedError } from '../errors/restore-abandoned-error';
import { StreamService } from '../runtime/stream-service';
import type { ReadOnlyTable } from '../state/tables/read-only-table';
import { MemoryTransport } from '../transport/memory/memory-transport';
import { StreamwiseApp } from './streamwise-app';

const Prices = pricesTopic(1);

@Service('price-board')
class PriceBoard extends StreamService {
  @Materialize(Prices)
  readonly prices!: ReadOnlyTable<string, Price>;
}

describe('stopping an app while a view catches up at start', () => {
  it('ends the start (AppStateError, caused by RestoreAbandonedError) and stops, instead of start() waiting forever', async () => {
    const transport = new MemoryTransport({ clock: new SystemClock() });
    await transport.connect();
    await transport.createTopics([{ name: Prices.name, partitions: 1, compacted: true }]);
    // An end the log has not reached (as on Kafka while a large topic is read): still catching up.
    transport.endOffsets = () => Promise.resolve([5]);
    const logger = new RecordingLogger();
    const app = StreamwiseApp.create({ services: [PriceBoard], transport, logger, http: false });
    const starting = app.start();
    const outcome = starting.then(
      () => 'started',
      (error: unknown) => error,
    );
    await waitFor(() => logger.messages.includes('restore started'), 'the catch-up to begin');
    await app.stop();
    const error = await outcome;
    expect(error).toBeInstanceOf(AppStateError);
    expect((error as Error).cause).toBeInstanceOf(RestoreAbandonedError);
  });
});

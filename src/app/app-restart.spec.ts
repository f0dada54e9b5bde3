import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { AppStateError } from '../errors/app-state-error';
import { SilentLogger } from '../logging/silent-logger';
import { StreamService } from '../runtime/stream-service';
import { MemoryTransport } from '../transport/memory/memory-transport';
import { StreamwiseApp } from './streamwise-app';

const Pings = defineTopic<{ id: string }>({ name: 'pings', entity: 'Ping', key: (p) => p.id });

/** Fails its first onStart, as a service whose dependency is not up yet would. */
let failuresLeft = 0;

@Service('flaky-start-service')
@OwnsTopic(Pings)
class FlakyStartService extends StreamService {
  override onStart(): void {
    if (failuresLeft > 0) {
      failuresLeft--;
      throw new Error('dependency not up yet');
    }
  }

  @EventHandler(Pings)
  ping(): void {}
}

describe('a failed start()', () => {
  let app: StreamwiseApp | undefined;

  beforeEach(() => {
    failuresLeft = 1;
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  it('leaves an app that can be started again, which then runs its services', async () => {
    app = StreamwiseApp.create({
      services: [FlakyStartService],
      transport: new MemoryTransport(),
      logger: new SilentLogger(),
      http: false,
    });
    await expect(app.start()).rejects.toThrow('dependency not up yet');
    expect(app.state).toBe('created');

    await app.start();
    expect(app.state).toBe('running');
    expect(app.service(FlakyStartService)).toBeInstanceOf(FlakyStartService);
    expect(app.subscriptionOf(FlakyStartService)?.assignment().length).toBeGreaterThan(0);
  });

  it('still refuses a second start() of a running app', async () => {
    failuresLeft = 0;
    app = StreamwiseApp.create({
      services: [FlakyStartService],
      transport: new MemoryTransport(),
      logger: new SilentLogger(),
      http: false,
    });
    await app.start();
    await expect(app.start()).rejects.toThrow(AppStateError);
  });
});

import { HeldTransport } from '../../test/support/held-transport';
import { waitFor } from '../../test/support/wait-for';
import { SystemClock } from '../clock/system-clock';
import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { Service } from '../decorators/service';
import { AppStateError } from '../errors/app-state-error';
import { StreamService } from '../runtime/stream-service';
import { StreamwiseApp } from './streamwise-app';

interface Tick {
  id: string;
}

const FirstTicks = defineTopic<Tick>({ name: 'first-ticks', entity: 'Tick', key: (t) => t.id });
const SecondTicks = defineTopic<Tick>({ name: 'second-ticks', entity: 'Tick', key: (t) => t.id });

@Service('first-counter')
class FirstCounter extends StreamService {
  @EventHandler(FirstTicks)
  async count(_tick: Tick): Promise<void> {}
}

@Service('second-counter')
class SecondCounter extends StreamService {
  @EventHandler(SecondTicks)
  async count(_tick: Tick): Promise<void> {}
}

describe('stopping an app while it starts', () => {
  it('makes start() reject, starts no further service, and leaves no consumer running', async () => {
    const transport = new HeldTransport({ clock: new SystemClock() });
    const app = StreamwiseApp.create({
      services: [FirstCounter, SecondCounter],
      transport,
      http: false,
    });
    const outcome = app.start().then(
      () => 'started',
      (error: unknown) => error,
    );
    await waitFor(() => transport.joining.length === 1, 'the first service to join its group');

    const stopped = app.stop();
    // The join completes while the stop is under way, before the transport disconnects.
    transport.joins.resolve();
    await waitFor(() => transport.joined.length === 1, 'the join');
    transport.disconnects.resolve();
    await stopped;

    const error = await outcome;
    expect(error).toBeInstanceOf(AppStateError);
    expect((error as Error).message).toContain('stop() was called while start() was running');
    expect(transport.joining).toEqual(['first-counter']);
    expect(transport.broker.group('first-counter').memberCount).toBe(0);
    expect(app.state).toBe('stopped');
  });
});

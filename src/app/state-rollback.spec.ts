import { waitFor } from '../../test/support/wait-for';
import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { State } from '../decorators/state';
import { SilentLogger } from '../logging/silent-logger';
import { StreamService } from '../runtime/stream-service';
import type { StateStore } from '../state/stores/state-store';
import { memoryTransport } from '../transport/memory/memory-transport-factory';
import type { SubscriptionOptions, Transport } from '../transport/transport';
import { StreamwiseApp } from './streamwise-app';

const Stock = defineTopic<{ sku: string; quantity: number }>({
  name: 'stock-moves',
  entity: 'StockMove',
  key: (move) => move.sku,
  partitions: 1,
});

@Service('stock-source')
@OwnsTopic(Stock)
class StockSource extends StreamService {
  move(sku: string, quantity: number): Promise<unknown> {
    return this.publish(Stock, { sku, quantity });
  }
}

@Service('stock-levels')
class StockLevels extends StreamService {
  @State('levels')
  readonly levels!: StateStore<string, number>;

  @EventHandler(Stock)
  move(move: { sku: string; quantity: number }): void {
    this.levels.put(move.sku, (this.levels.get(move.sku) ?? 0) + move.quantity);
  }
}

/**
 * The memory transport cannot lose a write, so this one can: while `losing` is set, what the
 * stock-levels handler writes (its changelog records) never reaches the broker, as when a Kafka
 * batch's outputs fail to send. It keeps the subscription options to call onRollback as the
 * Kafka transport does then.
 */
function losingTransport(): {
  transport: Transport;
  lose: (on: boolean) => void;
  options: () => SubscriptionOptions;
} {
  const inner = memoryTransport();
  let losing = false;
  let captured: SubscriptionOptions | undefined;
  const transport = new Proxy(inner, {
    get(target, property) {
      if (property === 'subscribe') {
        return (options: SubscriptionOptions) => {
          if (options.groupId === 'stock-levels') captured = options;
          return target.subscribe({
            ...options,
            handle: (record, output) =>
              options.handle(record, {
                produce: (topic, records, produceOptions) =>
                  losing ? Promise.resolve() : output.produce(topic, records, produceOptions),
              }),
          });
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value.bind(target) as unknown) : value;
    },
  });
  return {
    transport,
    lose: (on) => {
      losing = on;
    },
    options: () => {
      if (captured === undefined) throw new Error('stock-levels has not subscribed');
      return captured;
    },
  };
}

describe('rolling back partition state after lost outputs', () => {
  let app: StreamwiseApp | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  it('restores @State from its changelog, dropping changes whose changelog writes were lost', async () => {
    const losing = losingTransport();
    app = StreamwiseApp.create({
      services: [StockSource, StockLevels],
      transport: losing.transport,
      logger: new SilentLogger(),
    });
    await app.start();
    const levels = app.service(StockLevels);
    await app.service(StockSource).move('jumper', 2);
    await waitFor(() => levels.levels.get('jumper') === 2, 'the first move applied');

    losing.lose(true);
    await app.service(StockSource).move('jumper', 3);
    await waitFor(() => levels.levels.get('jumper') === 5, 'the second move applied in memory');

    await losing.options().onRollback?.([{ topic: Stock.name, partition: 0 }]);
    expect(levels.levels.get('jumper')).toBe(2);
  });
});

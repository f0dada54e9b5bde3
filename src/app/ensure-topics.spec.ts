import { MissingTopicError } from '../errors/missing-topic-error';
import { memoryTransport } from '../transport/memory/memory-transport-factory';
import type { Transport } from '../transport/transport';
import { ensureTopics } from './ensure-topics';

describe('ensureTopics with topics owned elsewhere', () => {
  let transport: Transport;
  beforeEach(() => {
    transport = memoryTransport();
    return transport.connect();
  });
  afterEach(() => transport.disconnect());

  const specs = [
    { name: 'ordres', partitions: 1, compacted: false },
    { name: 'ordres.dlq', partitions: 1, compacted: false },
    { name: 'invoices', partitions: 1, compacted: false },
  ];

  it('creates its own topics, then names the missing foreign ones without creating them or their dead letters', async () => {
    const failure = ensureTopics(transport, specs, new Map([['ordres', 'orders-service']]));
    await expect(failure).rejects.toBeInstanceOf(MissingTopicError);
    await expect(failure).rejects.toMatchObject({
      missing: [{ topic: 'ordres', owner: 'orders-service' }],
    });
    expect(await transport.listTopics()).toEqual(['invoices']);
  });

  it('accepts a foreign topic that exists, and creates its dead-letter topic', async () => {
    await transport.createTopics([specs[0]]);
    await ensureTopics(transport, specs, new Map([['ordres', 'orders-service']]));
    expect((await transport.listTopics()).sort()).toEqual(['invoices', 'ordres', 'ordres.dlq']);
  });
});

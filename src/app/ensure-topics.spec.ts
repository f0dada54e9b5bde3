import { waitFor } from '../../test/support/wait-for';
import { MissingTopicError } from '../errors/missing-topic-error';
import { memoryTransport } from '../transport/memory/memory-transport-factory';
import type { Transport } from '../transport/transport';
import { ensureTopics } from './ensure-topics';

let transport: Transport;
beforeEach(() => {
  transport = memoryTransport();
  return transport.connect();
});
afterEach(() => transport.disconnect());

describe('ensureTopics with topics owned elsewhere', () => {
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

describe('ensureTopics describing the topics', () => {
  it('asks about every topic at once rather than one after another (each is a round trip to the broker)', async () => {
    const asked: string[] = [];
    const answers: (() => void)[] = [];
    const describe = transport.describeTopic.bind(transport);
    jest.spyOn(transport, 'describeTopic').mockImplementation(async (name) => {
      asked.push(name);
      await new Promise<void>((resolve) => answers.push(resolve));
      return describe(name);
    });
    const specs = ['a', 'b', 'c'].map((name) => ({ name, partitions: 1, compacted: false }));
    const ensured = ensureTopics(transport, specs);
    await waitFor(() => asked.length === 3, 'every topic described', { timeoutMs: 2_000 });
    expect(asked).toEqual(['a', 'b', 'c']);
    for (const answer of answers) answer();
    await ensured;
    expect((await transport.listTopics()).sort()).toEqual(['a', 'b', 'c']);
  });

  it('reports the first topic in order that does not match its definition', async () => {
    await transport.createTopics([
      { name: 'a', partitions: 1, compacted: false },
      { name: 'b', partitions: 2, compacted: false },
      { name: 'c', partitions: 1, compacted: true },
    ]);
    const specs = ['a', 'b', 'c'].map((name) => ({ name, partitions: 1, compacted: false }));
    await expect(ensureTopics(transport, specs)).rejects.toThrow(/"b"/);
  });
});

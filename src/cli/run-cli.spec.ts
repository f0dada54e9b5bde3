import { MemoryBroker } from '../transport/memory/memory-broker';
import { MemoryTransport } from '../transport/memory/memory-transport';
import { runCli } from './run-cli';

describe('the streamwise CLI', () => {
  const broker = new MemoryBroker();
  const output = { out: [] as string[], err: [] as string[] };
  const run = (...argv: string[]) =>
    runCli(argv, {
      io: { out: (l) => output.out.push(l), err: (l) => output.err.push(l) },
      env: {},
      version: '9.9.9',
      connect: () => new MemoryTransport({ broker }),
    });

  beforeAll(async () => {
    const setup = new MemoryTransport({ broker });
    await setup.connect();
    await setup.createTopics([
      { name: 'orders', partitions: 2, compacted: false },
      { name: 'customers', partitions: 1, compacted: true },
    ]);
    await setup.produce(
      'orders',
      [0, 1, 2, 3, 4].map((i) => ({
        key: Buffer.from(`k${i}`),
        value: Buffer.from(`v${i}`),
        partition: i % 2,
        timestamp: Date.UTC(2025, 0, 1, 0, i),
      })),
    );
    await setup.setCommittedOffsets('billing-service', 'orders', [3, 2]);
    await setup.disconnect();
  });
  beforeEach(() => {
    output.out.length = 0;
    output.err.length = 0;
  });

  it('prints help and version', async () => {
    expect(await run('--help')).toBe(0);
    expect(output.out.join('\n')).toContain('replay [options] <group> [topic]');
    expect(await run('--version')).toBe(0);
    expect(output.out).toContain('9.9.9');
  });

  it('exits 2 on an unknown command or flag', async () => {
    expect(await run('frobnicate')).toBe(2);
    expect(await run('topics', 'list', '--nope')).toBe(2);
    expect(output.err.join('\n')).toContain("error: unknown option '--nope'");
  });

  it('lists and describes topics', async () => {
    expect(await run('topics', 'list')).toBe(0);
    expect(output.out).toEqual(['customers', 'orders']);
    output.out.length = 0;
    expect(await run('topics', 'describe', 'orders')).toBe(0);
    expect(output.out).toEqual([
      'orders: 2 partition(s), delete cleanup',
      'partition  start  end  records',
      '0          0      3    3',
      '1          0      2    2',
    ]);
  });

  it('peeks at records up to the end of the log and stops there', async () => {
    expect(await run('topics', 'peek', 'orders')).toBe(0);
    expect(output.out.filter((l) => l.startsWith('orders['))).toEqual([
      'orders[0]@0  2025-01-01T00:00:00.000Z',
      'orders[0]@1  2025-01-01T00:02:00.000Z',
      'orders[0]@2  2025-01-01T00:04:00.000Z',
      'orders[1]@0  2025-01-01T00:01:00.000Z',
      'orders[1]@1  2025-01-01T00:03:00.000Z',
    ]);
    output.out.length = 0;
    expect(await run('topics', 'peek', 'orders', '--partition', '0', '--max', '2')).toBe(0);
    expect(output.out.filter((l) => l.startsWith('orders['))).toEqual([
      'orders[0]@0  2025-01-01T00:00:00.000Z',
      'orders[0]@1  2025-01-01T00:02:00.000Z',
    ]);
    output.out.length = 0;
    expect(
      await run('topics', 'peek', 'orders', '--partition', '1', '--from', 'latest', '--json'),
    ).toBe(0);
    const shown = JSON.parse(output.out.join('\n')) as { offset: number; value: unknown }[];
    expect(shown.map((r) => [r.offset, r.value])).toEqual([
      [0, { encoding: 'utf8', text: 'v1' }],
      [1, { encoding: 'utf8', text: 'v3' }],
    ]);
    expect(await run('topics', 'peek', 'orders', '--from', 'soon')).toBe(2);
  });

  it('fails clearly on an unknown topic', async () => {
    expect(await run('topics', 'describe', 'nope')).toBe(1);
    expect(output.err[0]).toMatch(/^error: Topic "nope" does not exist/);
  });

  it('shows group lag, then replays from the beginning, a time and given offsets', async () => {
    expect(await run('groups', 'lag', 'billing-service', 'orders')).toBe(0);
    expect(output.out.at(-1)).toBe('total lag: 0');

    expect(await run('replay', 'billing-service', 'orders', '--to-beginning', '--execute')).toBe(0);
    expect(output.out.at(-1)).toBe('billing-service on orders now starts at 0=0, 1=0');

    expect(
      await run(
        'replay',
        'billing-service',
        'orders',
        '--to-time',
        '2025-01-01T00:02:00Z',
        '--execute',
      ),
    ).toBe(0);
    expect(output.out.at(-1)).toBe('billing-service on orders now starts at 0=1, 1=1');

    expect(
      await run('replay', 'billing-service', 'orders', '--to-offsets', '1=2', '--execute'),
    ).toBe(0);
    expect(output.out.at(-1)).toBe('billing-service on orders now starts at 0=1, 1=2');

    output.out.length = 0;
    await run('groups', 'lag', 'billing-service', 'orders');
    expect(output.out.at(-1)).toBe('total lag: 2');
  });

  it("clamps replay offsets to the log, with a warning, as Kafka's own tool does", async () => {
    expect(
      await run('replay', 'billing-service', 'orders', '--to-offsets', '0=99,1=1', '--execute'),
    ).toBe(0);
    expect(output.out.at(-1)).toBe('billing-service on orders now starts at 0=3, 1=1');
    expect(output.err).toEqual([
      'warning: partition 0: offset 99 is past the end of the log (3); using 3.',
    ]);
    output.out.length = 0;
    await run('groups', 'lag', 'billing-service', 'orders');
    expect(output.out.at(-1)).toBe('total lag: 1');
  });

  it('says so when a group has no committed offsets on the topic, instead of showing it fully lagged', async () => {
    expect(await run('groups', 'lag', 'no-such-group', 'orders')).toBe(1);
    expect(output.out).toEqual([]);
    expect(output.err.join('\n')).toContain(
      'Group "no-such-group" has no committed offsets on "orders"',
    );
  });

  it('previews a replay and changes nothing without --execute', async () => {
    await run('replay', 'billing-service', 'orders', '--to', 'orders:0=2,orders:1=1', '--execute');
    output.out.length = 0;
    expect(await run('replay', 'billing-service', '--to', 'earliest')).toBe(2);
    expect(output.err.join('\n')).toContain('name the topic');
    expect(await run('replay', 'billing-service', 'orders', '--to', 'earliest')).toBe(0);
    expect(output.out).toEqual([
      'topic   partition  current  new',
      'orders  0          2        0',
      'orders  1          1        0',
      'Preview only: nothing changed. Add --execute to move billing-service to these offsets.',
    ]);
    output.out.length = 0;
    await run('groups', 'lag', 'billing-service', 'orders');
    expect(output.out.at(-1)).toBe('total lag: 2');
    output.out.length = 0;
    expect(
      await run('replay', 'billing-service', '--to', 'orders:1=0', '--execute', '--json'),
    ).toBe(0);
    expect(JSON.parse(output.out.join('\n'))).toEqual({
      group: 'billing-service',
      executed: true,
      partitions: [
        { topic: 'orders', partition: 0, current: 2, new: 2 },
        { topic: 'orders', partition: 1, current: 1, new: 0 },
      ],
    });
    output.out.length = 0;
    expect(
      await run('replay', 'billing-service', 'orders', '--to', '2025-01-01T00:03:00Z', '--execute'),
    ).toBe(0);
    expect(output.out.at(-1)).toBe('billing-service on orders now starts at 0=2, 1=1');
  });

  it('refuses a replay without exactly one target, or with a bad time', async () => {
    expect(await run('replay', 'billing-service', 'orders')).toBe(2);
    expect(await run('replay', 'billing-service', 'orders', '--to-end', '--to-beginning')).toBe(2);
    expect(await run('replay', 'billing-service', 'orders', '--to-time', 'yesterday')).toBe(2);
    expect(output.err.join('\n')).toContain('--to-time needs an ISO-8601 time');
    expect(await run('replay', 'billing-service', 'orders', '--to', 'yesterday')).toBe(2);
    expect(await run('replay', 'billing-service', 'orders', '--to', 'other:0=1')).toBe(2);
  });

  it('prints the topology of a module and the ACLs that enforce its single writers', async () => {
    expect(await run('topology', 'examples/quickstart/services.ts')).toBe(0);
    expect(output.out).toContain('  owns:     reorder-requests');
    expect(output.out).toContain('  consumes: stock-movements -> onMovement()');
    output.out.length = 0;
    expect(await run('topology', 'examples/quickstart/services.ts', '--acls')).toBe(0);
    expect(output.out).toContain(
      'kafka-acls.sh --bootstrap-server "$BROKERS" --add --allow-principal User:warehouse-service --operation Write --topic stock-movements',
    );
    expect(
      output.out.filter((l) => l.includes('User:purchasing-service --operation Write')),
    ).toEqual([
      'kafka-acls.sh --bootstrap-server "$BROKERS" --add --allow-principal User:purchasing-service --operation Write --topic reorder-requests',
      'kafka-acls.sh --bootstrap-server "$BROKERS" --add --allow-principal User:purchasing-service --operation Write --topic stock-movements.dlq',
    ]);
  });

  it('grants what the topic plan says: changelogs, partition claims and the consumer group', async () => {
    expect(await run('topology', 'examples/orders/services.ts', '--acls')).toBe(0);
    const acl = (service: string, rest: string): string =>
      `kafka-acls.sh --bootstrap-server "$BROKERS" --add --allow-principal User:${service} ${rest}`;
    expect(output.out).toEqual(
      expect.arrayContaining([
        acl('inventory-service', '--operation Write --topic inventory-service-reserved-changelog'),
        acl('inventory-service', '--operation Read --topic inventory-service-reserved-changelog'),
        acl('orders-service', '--operation Write --topic _streamwise-instances'),
        acl('orders-service', '--operation Read --group orders-service'),
      ]),
    );
  });

  it('prints the ACLs of every service with `acls`, as kafka-acls.sh lines or JSON', async () => {
    expect(
      await run('acls', 'examples/orders/services.ts', '--principal-format', 'User:{service}.prod'),
    ).toBe(0);
    expect(output.out).toEqual(
      expect.arrayContaining([
        'kafka-acls.sh --bootstrap-server "$BROKERS" --add --allow-principal User:orders-service.prod --operation DescribeConfigs --topic orders',
        'kafka-acls.sh --bootstrap-server "$BROKERS" --add --allow-principal User:inventory-service.prod --operation Read --group inventory-service.table. --resource-pattern-type prefixed',
      ]),
    );
    output.out.length = 0;
    expect(await run('acls', 'examples/quickstart/services.ts', '--json')).toBe(0);
    const parsed = JSON.parse(output.out.join('\n')) as Record<string, string>[];
    expect(parsed).toContainEqual({
      principal: 'User:purchasing-service',
      resourceType: 'group',
      resourceName: 'purchasing-service',
      patternType: 'literal',
      operation: 'READ',
      host: '*',
      permission: 'ALLOW',
    });
  });
});

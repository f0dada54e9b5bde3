import { kafkaBrokers } from '../../test/support/kafka-env';
import { uniqueName } from '../../test/support/unique-name';
import { KafkaTransport } from '../transport/kafka/kafka-transport';
import { runCli } from './run-cli';

/** Every command of the CLI against the real broker, through the same entry as `streamwise`. */
describe('the streamwise CLI on Kafka', () => {
  const brokers = kafkaBrokers().join(',');
  const admin = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'cli-int-setup' });
  const orders = uniqueName('cli-orders');
  const group = uniqueName('cli-billing');
  const output = { out: [] as string[], err: [] as string[] };
  const run = (...argv: string[]) => {
    output.out.length = 0;
    output.err.length = 0;
    return runCli([...argv, '-b', brokers], {
      io: { out: (l) => output.out.push(l), err: (l) => output.err.push(l) },
      env: {},
      version: '0.0.0-test',
    });
  };
  const json = (): unknown => JSON.parse(output.out.join('\n'));

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics([{ name: orders, partitions: 2, compacted: false }]);
    await admin.produce(
      orders,
      [0, 1, 2, 3, 4].map((i) => ({
        key: Buffer.from(`k${i}`),
        value: Buffer.from(JSON.stringify({ order: i })),
        partition: i % 2,
      })),
    );
    await admin.setCommittedOffsets(group, orders, [1, 2]);
  });
  afterAll(async () => {
    await admin.deleteTopics([orders]);
    await admin.disconnect();
  });

  it('lists and describes topics, as text and as JSON', async () => {
    expect(await run('topics', 'list', '--json')).toBe(0);
    expect(json()).toEqual(expect.arrayContaining([orders]));
    expect(await run('topics', 'describe', orders, '--json')).toBe(0);
    expect(json()).toEqual({
      topic: orders,
      partitions: 2,
      cleanupPolicy: 'delete',
      offsets: [
        { partition: 0, start: 0, end: 3, records: 3 },
        { partition: 1, start: 0, end: 2, records: 2 },
      ],
    });
    expect(await run('topics', 'describe', uniqueName('cli-missing'))).toBe(1);
    expect(output.err[0]).toMatch(/^error: Topic ".*" does not exist/);
  });

  it("shows a group's lag per partition", async () => {
    expect(await run('groups', 'lag', group, orders, '--json')).toBe(0);
    expect(json()).toEqual({
      group,
      topic: orders,
      totalLag: 2,
      partitions: [
        { partition: 0, committed: 1, end: 3, lag: 2 },
        { partition: 1, committed: 2, end: 2, lag: 0 },
      ],
    });
  });
});

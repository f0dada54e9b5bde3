import { partitionForKey } from '../../src/transport/partitioner';
import { kafkaBrokers } from '../support/kafka-env';
import { RecordCollector } from '../support/record-collector';
import { teardownAfterEach } from '../support/teardown';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import { faultTestClient, startWorker, stopWorker } from './fault-support';
import { RELAY_CLIENTS } from './relay-transport';
import type { Sum } from './summing-service';
import { SUM_PARTITIONS } from './summing-service';

const KEYS = 30;
const PER_KEY = 60;

// The same case on each Kafka client: the instances run the service on it (SUM_CLIENT), the test
// produces and reads (read_committed) through KafkaTransport.
describe.each(RELAY_CLIENTS)(
  'fault (%s): kill -9 a stateful exactly-once instance mid-stream',
  (client) => {
    jest.setTimeout(240_000);
    const teardown = teardownAfterEach();

    it('the survivor restores the store from its changelog: every running total appears exactly once', async () => {
      const names = {
        input: uniqueName('adds'),
        output: uniqueName('sums'),
        group: uniqueName('summer').toLowerCase(),
      };
      const kafka = await faultTestClient(teardown);
      await kafka.createTopics([
        { name: names.input, partitions: SUM_PARTITIONS, compacted: false },
        { name: names.output, partitions: SUM_PARTITIONS, compacted: false },
      ]);
      const env = {
        SUM_BROKERS: kafkaBrokers().join(','),
        SUM_INPUT: names.input,
        SUM_OUTPUT: names.output,
        SUM_GROUP: names.group,
        SUM_CLIENT: client,
      };
      const victim = teardown.add('the victim', startWorker(env, 'summing-worker.ts'), stopWorker);
      const survivor = teardown.add(
        'the survivor',
        startWorker(env, 'summing-worker.ts'),
        stopWorker,
      );
      await Promise.all([victim.ready, survivor.ready]);

      const sums = new RecordCollector();
      const reader = await kafka.subscribe({
        groupId: uniqueName('reader'),
        topics: [names.output],
        offsetReset: 'earliest',
        handle: sums.handle,
      });
      teardown.add('the reader', reader, (r) => r.stop());
      const keys = Array.from({ length: KEYS }, (_, i) => `key-${i}`);
      let takeover: Promise<number> | undefined;
      for (let seq = 0; seq < PER_KEY; seq++) {
        await kafka.produce(
          names.input,
          keys.map((key) => {
            const bytes = Buffer.from(key);
            return {
              key: bytes,
              value: Buffer.from(JSON.stringify({ key, seq })),
              partition: partitionForKey(bytes, SUM_PARTITIONS),
            };
          }),
        );
        if (seq === PER_KEY / 3) {
          await waitFor(() => sums.records.length >= KEYS * 5, 'some totals before the kill', {
            timeoutMs: 60_000,
          });
          victim.child.kill('SIGKILL');
          await victim.exited;
          takeover = measureTakeover(sums);
        }
      }
      await waitFor(() => sums.records.length >= KEYS * PER_KEY, `${KEYS * PER_KEY} totals`, {
        timeoutMs: 180_000,
      });
      // With the default session (10 s) the victim's partitions resume about 10 s after the kill.
      // On @platformatic/kafka a victim killed with a transaction open makes the new owner wait
      // (require_stable) until the broker aborts it (timeout requestTimeoutMs, 30 s): seen 12.5 s
      // and 38.6 s.
      process.stdout.write(
        `[fault] kill -9: every key advanced again ${await takeover} ms after the kill\n`,
      );
      const totals = new Map<string, number[]>();
      for (const value of sums.values()) {
        const sum = JSON.parse(value) as Sum;
        totals.set(sum.key, [...(totals.get(sum.key) ?? []), sum.total]);
      }
      for (const key of keys) {
        expect((totals.get(key) ?? []).sort((a, b) => a - b)).toEqual(
          Array.from({ length: PER_KEY }, (_, i) => i + 1),
        );
      }
      expect(sums.records).toHaveLength(KEYS * PER_KEY);
    });
  },
);

/** Milliseconds until every key seen so far has a newer total: the victim's partitions moved on. */
async function measureTakeover(sums: RecordCollector): Promise<number> {
  const killedAt = Date.now();
  const countsAt = (): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const value of sums.values()) {
      const { key } = JSON.parse(value) as Sum;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  };
  const before = countsAt();
  await waitFor(
    () => {
      const now = countsAt();
      return [...before].every(([key, count]) => (now.get(key) ?? 0) > count);
    },
    'every key advancing after the kill',
    { timeoutMs: 120_000 },
  );
  return Date.now() - killedAt;
}

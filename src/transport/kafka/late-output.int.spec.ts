import { kafkaBrokers } from '../../../test/support/kafka-env';
import { RecordingLogger } from '../../../test/support/recording-logger';
import { uniqueName } from '../../../test/support/unique-name';
import { waitFor } from '../../../test/support/wait-for';
import type { RecordOutput, Subscription } from '../transport';
import { KafkaTransport } from './kafka-transport';

// A handler that does not await its publish can write after its batch was committed. That
// record must still reach the topic (on its own, outside any transaction), not sit in an output
// nobody sends any more.
describe.each([false, true])(
  'an output written after its batch committed (exactlyOnce: %s)',
  (exactlyOnce) => {
    const logger = new RecordingLogger();
    let transport: KafkaTransport;
    const subscriptions: Subscription[] = [];

    beforeAll(async () => {
      transport = new KafkaTransport({
        brokers: kafkaBrokers(),
        clientId: uniqueName('late'),
        logger,
        consumer: { heartbeatIntervalMs: 500, sessionTimeoutMs: 10_000, maxWaitTimeMs: 100 },
      });
      await transport.connect();
    });

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
    });

    afterAll(async () => {
      await transport.disconnect();
    });

    it('is written to its topic, with a warning that names the fix', async () => {
      const input = uniqueName('late-in');
      const output = uniqueName('late-out');
      await transport.createTopics([
        { name: input, partitions: 1, compacted: false },
        { name: output, partitions: 1, compacted: false },
      ]);
      const groupId = uniqueName('late-g');
      let kept: RecordOutput | undefined;
      subscriptions.push(
        await transport.subscribe({
          groupId,
          topics: [input],
          offsetReset: 'earliest',
          exactlyOnce,
          handle: (_record, out) => {
            kept = out;
            return Promise.resolve();
          },
        }),
      );
      await transport.produce(input, [{ key: null, value: Buffer.from('in'), partition: 0 }]);
      await waitFor(
        async () => (await transport.committedOffsets(groupId, input))[0] === 1,
        'the input record to be committed',
      );

      await kept?.produce(output, [{ key: null, value: Buffer.from('late'), partition: 0 }]);

      const seen: string[] = [];
      subscriptions.push(
        await transport.subscribe({
          groupId: uniqueName('late-reader'),
          topics: [output],
          offsetReset: 'earliest',
          handle: (record) => {
            seen.push(record.value?.toString('utf8') ?? '<null>');
            return Promise.resolve();
          },
        }),
      );
      await waitFor(() => seen.length === 1, 'the late record in the output topic');
      expect(seen).toEqual(['late']);
      expect(logger.messages.join('\n')).toMatch(/await every publish/);
    });
  },
);

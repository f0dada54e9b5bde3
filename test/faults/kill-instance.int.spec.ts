import { KafkaTransport } from '../../src/transport/kafka/kafka-transport';
import { kafkaBrokers } from '../support/kafka-env';
import { teardownAfterEach } from '../support/teardown';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';
import type { RelayedItems } from './fault-support';
import {
  produceItems,
  produceSentinels,
  readRelayed,
  startWorker,
  stopWorker,
} from './fault-support';
import { RELAY_PARTITIONS } from './relay-service';
import { KIP848_CLIENT, RELAY_CLIENTS, type WorkerClient } from './relay-transport';

const RECORDS = 10_000;

// The same cases on each Kafka client: the instances run the relay on it (RELAY_CLIENT), the
// test produces and reads (read_committed) through KafkaTransport. @platformatic/kafka with the
// KIP-848 group protocol runs the exactly-once case, the one its member epoch changes.
describe.each<WorkerClient>([...RELAY_CLIENTS, KIP848_CLIENT])(
  'fault (%s): kill -9 one of two instances in the middle of 10,000 records',
  (client) => {
    // Exactly once runs one transaction per partition batch (see exactly-once-processor.ts): on a
    // busy two-core CI machine 10,000 records took from about 130 s to over 180 s on kafkajs.
    jest.setTimeout(420_000);
    const teardown = teardownAfterEach();
    let admin: KafkaTransport;

    beforeAll(async () => {
      admin = new KafkaTransport({
        brokers: kafkaBrokers(),
        clientId: 'fault-test',
        kafkaLogLevel: 'nothing',
      });
      await admin.connect();
    });
    afterAll(() => admin.disconnect());

    async function run(
      exactlyOnce: boolean,
      signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL',
    ): Promise<{ relayed: RelayedItems; victimExit: number | null }> {
      const names = {
        input: uniqueName('fault-in'),
        output: uniqueName('fault-out'),
        group: uniqueName('relay').toLowerCase(),
      };
      await admin.createTopics([
        { name: names.input, partitions: RELAY_PARTITIONS, compacted: false },
        { name: names.output, partitions: RELAY_PARTITIONS, compacted: false },
      ]);
      const env = {
        RELAY_BROKERS: kafkaBrokers().join(','),
        RELAY_INPUT: names.input,
        RELAY_OUTPUT: names.output,
        RELAY_GROUP: names.group,
        RELAY_EXACTLY_ONCE: exactlyOnce ? '1' : '0',
        RELAY_CLIENT: client,
      };
      // The victim joins first, so it holds partitions when it is killed: with the KIP-848
      // protocol a member that joins at the same time as another may get its first partitions
      // only a heartbeat (5 s) later, and a kill before then would test nothing.
      const victim = teardown.add('the victim', startWorker(env), stopWorker);
      await victim.ready;
      const survivor = teardown.add('the survivor', startWorker(env), stopWorker);
      await survivor.ready;

      const { relayed } = await readRelayed(admin, names.output, teardown);
      // What a timed-out wait reports, so a failure says where the relay got stuck.
      const diagnose = async (error: unknown): Promise<never> => {
        const offsets = async (topic: string) =>
          JSON.stringify({
            relayCommitted: await admin.committedOffsets(names.group, topic).catch(String),
            end: await admin.endOffsets(topic).catch(String),
          });
        throw new Error(
          [
            String(error),
            `relayed ${relayed.total}, sentinels ${relayed.sentinels.size}`,
            `input: ${await offsets(names.input)}`,
            `output end: ${JSON.stringify(await admin.endOffsets(names.output).catch(String))}`,
            `victim (exit ${victim.child.exitCode ?? victim.child.signalCode}) stderr:\n${victim.stderrTail()}`,
            `survivor (exit ${survivor.child.exitCode ?? survivor.child.signalCode}) stderr:\n${survivor.stderrTail()}`,
          ].join('\n'),
        );
      };
      let killed = false;
      await produceItems(admin, names.input, 0, RECORDS, async () => {
        if (!killed && relayed.total >= 2_000) {
          killed = true;
          victim.child.kill(signal);
          await victim.exited;
        }
      });
      if (!killed) {
        await waitFor(() => relayed.total >= 2_000, '2,000 relayed records before the kill', {
          timeoutMs: 120_000,
        }).catch(diagnose);
        victim.child.kill(signal);
        await victim.exited;
      }
      await produceSentinels(admin, names.input);
      await waitFor(
        () => relayed.sentinels.size === RELAY_PARTITIONS,
        'a sentinel on every output partition',
        { timeoutMs: 240_000 },
      ).catch(diagnose);
      return { relayed, victimExit: await victim.exited };
    }

    // First: it is the case the second client was added for, and the slowest.
    it('exactly once: no record lost and none duplicated for a read_committed reader', async () => {
      const { relayed } = await run(true);
      process.stdout.write(
        `[fault] ${client} exactly-once: ${relayed.total} relayed, ${relayed.missing(RECORDS).length} lost, ${relayed.duplicates()} duplicate(s)\n`,
      );
      expect(relayed.missing(RECORDS)).toEqual([]);
      expect(relayed.duplicates()).toBe(0);
      expect(relayed.total).toBe(RECORDS);
    });

    // Registered only where they apply, so a run counts no skipped case.
    if (client === KIP848_CLIENT) return;

    it('at least once: the survivor finishes and no record is lost', async () => {
      const { relayed } = await run(false);
      expect(relayed.missing(RECORDS)).toEqual([]);
      process.stdout.write(
        `[fault] ${client} at-least-once: ${relayed.total} relayed, ${relayed.missing(RECORDS).length} lost, ${relayed.duplicates()} duplicate(s) after the kill\n`,
      );
    });

    it('SIGTERM: the instance stops gracefully (exit 0, work committed), so nothing is lost or redone', async () => {
      const { relayed, victimExit } = await run(false, 'SIGTERM');
      process.stdout.write(
        `[fault] ${client} SIGTERM: ${relayed.total} relayed, ${relayed.missing(RECORDS).length} lost, ${relayed.duplicates()} duplicate(s), exit ${victimExit}\n`,
      );
      expect(victimExit).toBe(0);
      expect(relayed.missing(RECORDS)).toEqual([]);
      expect(relayed.duplicates()).toBe(0);
    });
  },
);

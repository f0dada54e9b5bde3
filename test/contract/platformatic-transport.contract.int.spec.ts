import { SystemClock } from '../../src/clock/system-clock';
import { SilentLogger } from '../../src/logging/silent-logger';
import type { PlatformaticGroupProtocol } from '../../src/transport/platformatic/platformatic-options';
import { PlatformaticKafkaTransport } from '../../src/transport/platformatic/platformatic-transport';
import { kafkaBrokers } from '../support/kafka-env';
import { assignmentGateContract } from './assignment-gate-contract';
import { batchContract } from './batch-contract';
import { concurrencyContract } from './concurrency-contract';
import type { ContractHarness } from './contract-harness';
import { serviceContract } from './service-contract';
import { transportContract } from './transport-contract';

// The same suites as kafka-transport.contract.int.spec.ts, on the second Kafka client, once per
// group protocol: classic (JoinGroup/SyncGroup) and consumer (KIP-848, incremental rebalances).
const harness = (groupProtocol: PlatformaticGroupProtocol): ContractHarness => ({
  name: `kafka (@platformatic/kafka, ${groupProtocol} group protocol)`,
  clock: new SystemClock(),
  // Exactly-once (EOS v2) on both: fenced by the classic generation or the KIP-848 member epoch.
  exactlyOnce: 'runs',
  createTransport: () =>
    new PlatformaticKafkaTransport({
      brokers: kafkaBrokers(),
      clientId: 'contract',
      logger: new SilentLogger(),
      consumer: { maxWaitTimeMs: 100 },
      groupProtocol,
    }),
});

describe.each<PlatformaticGroupProtocol>(['classic', 'consumer'])(
  'on the real broker through @platformatic/kafka, %s group protocol',
  (groupProtocol) => {
    jest.setTimeout(60_000);
    const entry = harness(groupProtocol);
    transportContract(entry);
    assignmentGateContract(entry);
    concurrencyContract(entry);
    batchContract(entry);
    serviceContract(entry);
  },
);

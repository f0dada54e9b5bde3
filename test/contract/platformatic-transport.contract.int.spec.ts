import { SystemClock } from '../../src/clock/system-clock';
import { SilentLogger } from '../../src/logging/silent-logger';
import { PlatformaticKafkaTransport } from '../../src/transport/platformatic/platformatic-transport';
import { kafkaBrokers } from '../support/kafka-env';
import { assignmentGateContract } from './assignment-gate-contract';
import { concurrencyContract } from './concurrency-contract';
import type { ContractHarness } from './contract-harness';
import { serviceContract } from './service-contract';
import { transportContract } from './transport-contract';

// The same suites as kafka-transport.contract.int.spec.ts, on the second Kafka client.
const harness: ContractHarness = {
  name: 'kafka (@platformatic/kafka)',
  clock: new SystemClock(),
  exactlyOnce: 'runs',
  createTransport: () =>
    new PlatformaticKafkaTransport({
      brokers: kafkaBrokers(),
      clientId: 'contract',
      logger: new SilentLogger(),
      consumer: { maxWaitTimeMs: 100 },
    }),
};

describe('on the real broker through @platformatic/kafka', () => {
  jest.setTimeout(60_000);
  transportContract(harness);
  assignmentGateContract(harness);
  concurrencyContract(harness);
  serviceContract(harness);
});

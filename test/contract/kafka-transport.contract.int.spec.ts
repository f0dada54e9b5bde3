import { SystemClock } from '../../src/clock/system-clock';
import { SilentLogger } from '../../src/logging/silent-logger';
import { KafkaTransport } from '../../src/transport/kafka/kafka-transport';
import { kafkaBrokers } from '../support/kafka-env';
import { assignmentGateContract } from './assignment-gate-contract';
import { batchContract } from './batch-contract';
import { concurrencyContract } from './concurrency-contract';
import type { ContractHarness } from './contract-harness';
import { serviceContract } from './service-contract';
import { transportContract } from './transport-contract';

const harness: ContractHarness = {
  name: 'kafka',
  clock: new SystemClock(),
  exactlyOnce: 'runs',
  createTransport: () =>
    new KafkaTransport({
      brokers: kafkaBrokers(),
      clientId: 'contract',
      logger: new SilentLogger(),
      kafkaLogLevel: 'nothing',
      consumer: { maxWaitTimeMs: 100 },
    }),
};

describe('on the real broker', () => {
  jest.setTimeout(60_000);
  transportContract(harness);
  assignmentGateContract(harness);
  concurrencyContract(harness);
  batchContract(harness);
  serviceContract(harness);
});

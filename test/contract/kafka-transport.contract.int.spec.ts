import { SystemClock } from '../../src/core/clock/system-clock';
import { SilentLogger } from '../../src/core/logging/silent-logger';
import { KafkaTransport } from '../../src/core/transport/kafka/kafka-transport';
import { kafkaBrokers } from '../support/kafka-env';
import type { ContractHarness } from './contract-harness';
import { serviceContract } from './service-contract';
import { transportContract } from './transport-contract';

const harness: ContractHarness = {
  name: 'kafka',
  clock: new SystemClock(),
  createTransport: () =>
    new KafkaTransport({
      brokers: kafkaBrokers(),
      clientId: 'contract',
      logger: new SilentLogger(),
      kafkaLogLevel: 'nothing',
      consumer: { maxWaitTimeMs: 100 },
    }),
};

if (process.env.STREAMWISE_KAFKA_AVAILABLE === '1') {
  jest.setTimeout(60_000);
  transportContract(harness);
  serviceContract(harness);
} else {
  describe.skip('transport and service contract: kafka (no broker; see the banner above)', () => {
    it('needs a broker', () => undefined);
  });
}

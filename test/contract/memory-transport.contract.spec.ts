import { SystemClock } from '../../src/clock/system-clock';
import { MemoryBroker } from '../../src/transport/memory/memory-broker';
import { MemoryTransport } from '../../src/transport/memory/memory-transport';
import { assignmentGateContract } from './assignment-gate-contract';
import { batchContract } from './batch-contract';
import { concurrencyContract } from './concurrency-contract';
import type { ContractHarness } from './contract-harness';
import { serviceContract } from './service-contract';
import { transportContract } from './transport-contract';

const broker = new MemoryBroker();
const clock = new SystemClock();
const harness: ContractHarness = {
  name: 'memory',
  clock,
  exactlyOnce: 'runs',
  createTransport: () => new MemoryTransport({ broker, clock }),
};

transportContract(harness);
assignmentGateContract(harness);
concurrencyContract(harness);
batchContract(harness);
serviceContract(harness);

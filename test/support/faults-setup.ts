import { brokerTierSetup } from './global-setup';

/** Jest globalSetup of the faults tier: a broker that answers, and free ports for a second one. */
export default function faultsSetup(): Promise<void> {
  return brokerTierSetup({ tier: 'faults', registry: false, faultBroker: true, postgres: true });
}

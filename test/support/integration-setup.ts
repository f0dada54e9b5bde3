import { brokerTierSetup } from './global-setup';

/** Jest globalSetup of the integration tier: a broker and a schema registry that answer. */
export default function integrationSetup(): Promise<void> {
  return brokerTierSetup({
    tier: 'integration',
    registry: true,
    faultBroker: false,
    postgres: true,
  });
}

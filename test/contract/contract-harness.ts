import type { Clock } from '../../src/clock/clock';
import type { Transport } from '../../src/transport/transport';

/** How the contract suite gets transports that all talk to one broker (or one memory broker). */
export interface ContractHarness {
  readonly name: string;
  /** A new, unconnected transport on the shared broker; several model several processes. */
  createTransport(): Transport;
  readonly clock: Clock;
  /**
   * Whether the transport runs `exactlyOnce` subscriptions. One that does not must refuse them at
   * subscribe() with a ConfigurationError, never run them at-least-once; the suite checks either.
   */
  readonly exactlyOnce: 'runs' | 'refuses';
}

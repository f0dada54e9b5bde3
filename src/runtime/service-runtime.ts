import type { Logger } from '../logging/logger';
import type { Publisher } from './publisher';

/** What the app gives a running service instance. */
export interface ServiceRuntime {
  readonly name: string;
  readonly publisher: Publisher;
  readonly logger: Logger;
}

// A WeakMap rather than a public field keeps the runtime out of reach of user code and tests.
const runtimes = new WeakMap<object, ServiceRuntime>();

export function bindServiceRuntime(service: object, runtime: ServiceRuntime): void {
  runtimes.set(service, runtime);
}

export function unbindServiceRuntime(service: object): void {
  runtimes.delete(service);
}

export function serviceRuntimeOf(service: object): ServiceRuntime | undefined {
  return runtimes.get(service);
}

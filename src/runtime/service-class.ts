import type { StreamService } from './stream-service';

/** A class decorated with @Service that extends StreamService; its constructor is injected. */
export type ServiceClass<T extends StreamService = StreamService> = abstract new (
  ...args: never[]
) => T;

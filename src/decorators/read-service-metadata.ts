import 'reflect-metadata';

import { MetadataKeys } from './metadata-keys';
import type { ServiceMetadata } from './service';

/** The @Service of this very class (not inherited: a subclass is a different service). */
export function readServiceMetadata(target: object): ServiceMetadata | undefined {
  return Reflect.getOwnMetadata(MetadataKeys.SERVICE, target) as ServiceMetadata | undefined;
}

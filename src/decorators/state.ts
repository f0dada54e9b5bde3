import { DecoratorMisuseError } from '../errors/decorator-misuse-error';
import type { StateStoreMetadata, StateStoreOptions } from '../model/service/state-store-metadata';
import { appendMetadata, readOwnMetadataList } from './append-metadata';
import { className } from './class-name';
import { requireExperimentalDecorators } from './experimental-decorators';
import { MetadataKeys } from './metadata-keys';

const STORE_NAME = /^[a-z][a-z0-9-]{0,60}$/;

/**
 * Injects a service-owned key-value store into the property (type it `StateStore<K, V>`). Only
 * this service's handlers may write it; every change also goes to a compacted changelog topic the
 * service owns, from which the store is restored at start and after a rebalance.
 */
export function State(name: string, options: StateStoreOptions = {}): PropertyDecorator {
  return (target, propertyKey) => {
    requireExperimentalDecorators('State', target, propertyKey);
    const owner = className(target);
    const property = String(propertyKey);
    const fail = (problem: string): never => {
      throw new DecoratorMisuseError('State', owner, property, problem);
    };
    if (typeof target === 'function') fail('is on a static property; stores are per instance.');
    if (typeof name !== 'string' || !STORE_NAME.test(name)) {
      fail(
        `name ${JSON.stringify(name)} must be kebab-case, e.g. 'reservations' (it names the changelog topic).`,
      );
    }
    const keyType = options.keyType ?? 'string';
    if (keyType !== 'string' && keyType !== 'number') fail("keyType must be 'string' or 'number'.");
    const own = readOwnMetadataList<StateStoreMetadata>(MetadataKeys.STATE_STORES, target);
    if (own.some((s) => s.property === property)) fail('is applied twice to the same property.');
    if (own.some((s) => s.name === name))
      fail(`store name "${name}" is already used by another property.`);
    appendMetadata<StateStoreMetadata>(MetadataKeys.STATE_STORES, target, {
      property,
      name,
      keyType,
    });
  };
}

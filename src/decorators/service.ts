import 'reflect-metadata';

import { injectable } from 'inversify';

import { DecoratorMisuseError } from '../errors/decorator-misuse-error';
import type { ServiceOptions } from '../model/service/service-options';
import { requireExperimentalDecorators } from './experimental-decorators';
import { MetadataKeys } from './metadata-keys';
import { validateRetryOptions } from './validate-retry-options';

const SERVICE_NAME = /^[a-z][a-z0-9-]{0,98}[a-z0-9]$/;

export interface ServiceMetadata {
  readonly name: string;
  readonly options: ServiceOptions;
}

/**
 * Marks a class as a streamwise service named `name` (kebab-case, e.g. 'inventory-service'). The
 * name is its consumer group and the producer in every event id. The class must extend
 * StreamService; its constructor dependencies are injected by the app's container.
 */
export function Service(name: string, options: ServiceOptions = {}): ClassDecorator {
  return (target, ...rest: unknown[]) => {
    requireExperimentalDecorators('Service', target, rest[0]);
    if (typeof name !== 'string' || !SERVICE_NAME.test(name)) {
      throw new DecoratorMisuseError(
        'Service',
        target.name,
        undefined,
        `name ${JSON.stringify(name)} must be kebab-case: lowercase letters, digits and '-', 2 to 100 characters, e.g. 'orders-service'.`,
      );
    }
    if (Reflect.hasOwnMetadata(MetadataKeys.SERVICE, target)) {
      throw new DecoratorMisuseError(
        'Service',
        target.name,
        undefined,
        'is applied twice; keep one.',
      );
    }
    validateOptions(target.name, options);
    const metadata: ServiceMetadata = { name, options: { ...options } };
    Reflect.defineMetadata(MetadataKeys.SERVICE, metadata, target);
    injectable()(target);
  };
}

/** Beyond this a partition's records would mostly wait on each other's keys anyway. */
const MAX_CONCURRENCY = 1_000;

function validateOptions(className: string, options: ServiceOptions): void {
  const fail = (problem: string): never => {
    throw new DecoratorMisuseError('Service', className, undefined, problem);
  };
  if (
    options.startFrom !== undefined &&
    options.startFrom !== 'earliest' &&
    options.startFrom !== 'latest'
  ) {
    fail("startFrom must be 'earliest' or 'latest'.");
  }
  if (
    options.onForeignProducer !== undefined &&
    !['dead-letter', 'warn'].includes(options.onForeignProducer)
  ) {
    fail("onForeignProducer must be 'dead-letter' or 'warn'.");
  }
  if (options.exactlyOnce !== undefined && typeof options.exactlyOnce !== 'boolean') {
    fail('exactlyOnce must be true or false.');
  }
  const perPartition: unknown = options.concurrency?.perPartition;
  if (
    options.concurrency !== undefined &&
    (typeof perPartition !== 'number' ||
      !Number.isSafeInteger(perPartition) ||
      perPartition < 1 ||
      perPartition > MAX_CONCURRENCY)
  ) {
    fail(
      `concurrency.perPartition must be a whole number from 1 to ${MAX_CONCURRENCY} (records of one partition handled at once); got ${String(perPartition)}.`,
    );
  }
  validateRetryOptions('Service', className, undefined, options.retry);
}

import { DecoratorMisuseError } from '../errors/decorator-misuse-error';
import type { WindowedStoreMetadata } from '../model/service/windowed-store-metadata';
import type { TopicKey } from '../model/topics/key-serde';
import type { WindowJoinOptions } from '../model/windows/window-join-options';
import { validateJoinOptions } from '../model/windows/window-join-options';
import type { WindowedAggregatorOptions } from '../model/windows/windowed-aggregator-options';
import { validateAggregatorOptions } from '../model/windows/windowed-aggregator-options';
import { appendMetadata, readOwnMetadataList } from './append-metadata';
import { className } from './class-name';
import { requireExperimentalDecorators } from './experimental-decorators';
import { MetadataKeys } from './metadata-keys';

const STATE_NAME = /^[a-z][a-z0-9-]{0,60}$/;

/**
 * Injects a windowed aggregation (`WindowedStore<K, V, A>`): tumbling, hopping or session windows
 * on event time with a grace period, emitting on every update or once when a window closes.
 */
export function Windowed<K extends TopicKey, V, A>(
  name: string,
  options: Omit<WindowedAggregatorOptions<K, V, A>, 'name'>,
): PropertyDecorator {
  const full = { ...options, name } as unknown as WindowedAggregatorOptions<
    TopicKey,
    unknown,
    unknown
  >;
  return windowedStore(
    'Windowed',
    name,
    () => validateAggregatorOptions(full),
    (property) => ({ property, name, kind: 'windowed', options: full }),
  );
}

/** Injects a stream-stream join within a time window (`JoinStore<K, L, R, O>`). */
export function WindowedJoin<K extends TopicKey, L, R, O>(
  name: string,
  options: Omit<WindowJoinOptions<K, L, R, O>, 'name'>,
): PropertyDecorator {
  const full = { ...options, name } as unknown as WindowJoinOptions<
    TopicKey,
    unknown,
    unknown,
    unknown
  >;
  return windowedStore(
    'WindowedJoin',
    name,
    () => validateJoinOptions(full),
    (property) => ({ property, name, kind: 'join', options: full }),
  );
}

function windowedStore(
  decorator: string,
  name: string,
  validate: () => void,
  metadata: (property: string) => WindowedStoreMetadata,
): PropertyDecorator {
  return (target, propertyKey) => {
    requireExperimentalDecorators(decorator, target, propertyKey);
    const owner = className(target);
    const property = String(propertyKey);
    const fail = (problem: string): never => {
      throw new DecoratorMisuseError(decorator, owner, property, problem);
    };
    if (typeof target === 'function') fail('is on a static property; state is per instance.');
    if (typeof name !== 'string' || !STATE_NAME.test(name)) {
      fail(`name ${JSON.stringify(name)} must be kebab-case (it names the changelog topic).`);
    }
    try {
      validate();
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
    const own = readOwnMetadataList<WindowedStoreMetadata>(MetadataKeys.WINDOWED_STORES, target);
    if (own.some((s) => s.property === property || s.name === name)) {
      fail(`property or name "${name}" is already used by another stream state of ${owner}.`);
    }
    appendMetadata<WindowedStoreMetadata>(MetadataKeys.WINDOWED_STORES, target, metadata(property));
  };
}

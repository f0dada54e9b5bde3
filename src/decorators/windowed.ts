import { DecoratorMisuseError } from '../core/errors/decorator-misuse-error';
import type { WindowJoinOptions } from '../core/stream/window-join-options';
import { validateJoinOptions } from '../core/stream/window-join-options';
import type { WindowedAggregatorOptions } from '../core/stream/windowed-aggregator-options';
import { validateAggregatorOptions } from '../core/stream/windowed-aggregator-options';
import type { TopicKey } from '../core/topic/key-serde';
import { appendMetadata, readOwnMetadataList } from './append-metadata';
import { className } from './class-name';
import { MetadataKeys } from './metadata-keys';

/** A stream engine a service owns, with the changelog `<service>-<name>-changelog`. */
export type StreamStateMetadata =
  | {
      readonly property: string;
      readonly name: string;
      readonly kind: 'windowed';
      readonly options: WindowedAggregatorOptions<TopicKey, unknown, unknown>;
    }
  | {
      readonly property: string;
      readonly name: string;
      readonly kind: 'join';
      readonly options: WindowJoinOptions<TopicKey, unknown, unknown, unknown>;
    };

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
  return streamState(
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
  return streamState(
    'WindowedJoin',
    name,
    () => validateJoinOptions(full),
    (property) => ({ property, name, kind: 'join', options: full }),
  );
}

function streamState(
  decorator: string,
  name: string,
  validate: () => void,
  metadata: (property: string) => StreamStateMetadata,
): PropertyDecorator {
  return (target, propertyKey) => {
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
    const own = readOwnMetadataList<StreamStateMetadata>(MetadataKeys.STREAM_STATES, target);
    if (own.some((s) => s.property === property || s.name === name)) {
      fail(`property or name "${name}" is already used by another stream state of ${owner}.`);
    }
    appendMetadata<StreamStateMetadata>(MetadataKeys.STREAM_STATES, target, metadata(property));
  };
}

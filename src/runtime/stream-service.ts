import { ServiceNotStartedError } from '../errors/service-not-started-error';
import type { Logger } from '../logging/logger';
import type { PublishOptions } from '../model/service/publish-options';
import type { PublishedEvent } from '../model/service/published-event';
import type { TopicKey } from '../model/topics/key-serde';
import type { TopicDefinition } from '../model/topics/topic-definition';
import type { ServiceRuntime } from './service-runtime';
import { serviceRuntimeOf } from './service-runtime';

/**
 * The base class of every service. It gives `publish` (to topics the service owns), a logger and
 * lifecycle hooks; the decorators say what the service consumes, owns and answers.
 */
export abstract class StreamService {
  /** The name given to @Service. */
  protected get serviceName(): string {
    return this.#runtime('read its name').name;
  }

  protected get logger(): Logger {
    return this.#runtime('log').logger;
  }

  /**
   * Publishes `value` to a topic this service owns. Throws SingleWriterViolationError (nothing
   * sent) for any other topic. Inside a handler the record joins that handler's output.
   */
  protected publish<T, K extends TopicKey>(
    topic: TopicDefinition<T, K>,
    value: T,
    options?: PublishOptions,
  ): Promise<PublishedEvent> {
    return this.#runtime('publish').publisher.publish(topic, value, options);
  }

  /** Deletes `key` from a compacted topic this service owns (a record with a null value). */
  protected publishTombstone<K extends TopicKey>(
    topic: TopicDefinition<unknown, K>,
    key: K,
    options?: PublishOptions,
  ): Promise<PublishedEvent> {
    return this.#runtime('publish').publisher.publishTombstone(topic, key, options);
  }

  /** Called after the service is wired and before it consumes anything. */
  onStart(): Promise<void> | void {}

  /** Called after consumption stopped and in-flight handlers finished. */
  onStop(): Promise<void> | void {}

  #runtime(action: string): ServiceRuntime {
    const runtime = serviceRuntimeOf(this);
    if (runtime === undefined) throw new ServiceNotStartedError(this.constructor.name, action);
    return runtime;
  }
}

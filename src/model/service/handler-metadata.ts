import type { TopicDefinition } from '../topics/topic-definition';
import type { RetryOptions } from './retry-options';

export interface EventHandlerOptions<T> {
  /** Handle only values for which this returns true; others are committed and skipped. */
  readonly when?: (value: T) => boolean;
  readonly retry?: RetryOptions;
}

export interface EventHandlerMetadata {
  readonly method: string;
  readonly topic: TopicDefinition;
  readonly when: ((value: unknown) => boolean) | undefined;
  readonly retry: RetryOptions | undefined;
}

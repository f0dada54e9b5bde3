import { TransportClosedError } from '../errors/transport-closed-error';
import type { Logger } from '../logging/logger';
import { retryWithin } from './retry-within';
import type { TopicDescription, TopicSpec, Transport } from './transport';

type TopicCalls = Pick<Transport, 'createTopics' | 'describeTopic' | 'listTopics'>;
type OffsetCalls = Pick<
  Transport,
  | 'endOffsets'
  | 'restoreEndOffsets'
  | 'startOffsets'
  | 'offsetsForTimestamp'
  | 'committedOffsets'
  | 'setCommittedOffsets'
>;

/** What an open connection of a Kafka client offers for the calls below. */
export interface BrokerOperations {
  readonly topics: TopicCalls;
  readonly offsets: OffsetCalls;
}

export interface BrokerCallsDeps {
  /** The open connection's operations; undefined once the transport closed or is closing. */
  readonly operations: () => BrokerOperations | undefined;
  /** Runs a client call, turning its errors into streamwise's (naming the principal). */
  readonly run: <T>(action: string, operation: () => Promise<T>) => Promise<T>;
  readonly startupTimeoutMs: number;
  readonly logger: Logger;
}

/**
 * The topic and offset calls of a Kafka transport, alike for every client. A look-up that
 * start-up and restores depend on retries the retriable answers of a broker that is starting or
 * moving leaders (NOT_LEADER, no coordinator yet) until startupTimeoutMs, instead of failing the
 * caller on the first one; setting committed offsets runs once.
 */
export class BrokerCalls implements TopicCalls, OffsetCalls {
  // Every call is async, so a closed transport rejects (TransportClosedError) instead of throwing.
  readonly #deps: BrokerCallsDeps;

  constructor(deps: BrokerCallsDeps) {
    this.#deps = deps;
  }

  async createTopics(specs: readonly TopicSpec[]): Promise<void> {
    const { topics } = this.#live('create topics');
    await this.lookUp(`create topics ${quoted(specs.map((spec) => spec.name))}`, () =>
      topics.createTopics(specs),
    );
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    const { topics } = this.#live('describe a topic');
    return this.lookUp(`describe topic "${name}"`, () => topics.describeTopic(name));
  }

  async listTopics(): Promise<string[]> {
    const { topics } = this.#live('list topics');
    return this.lookUp('list topics', () => topics.listTopics());
  }

  async endOffsets(topic: string): Promise<number[]> {
    const { offsets } = this.#live('read end offsets');
    return this.lookUp(`read end offsets of "${topic}"`, () => offsets.endOffsets(topic));
  }

  async restoreEndOffsets(topic: string): Promise<number[]> {
    const { offsets } = this.#live('read log end offsets');
    return this.lookUp(`read log end offsets of "${topic}"`, () =>
      offsets.restoreEndOffsets(topic),
    );
  }

  async startOffsets(topic: string): Promise<number[]> {
    const { offsets } = this.#live('read start offsets');
    return this.lookUp(`read start offsets of "${topic}"`, () => offsets.startOffsets(topic));
  }

  async offsetsForTimestamp(topic: string, timestamp: number): Promise<number[]> {
    const { offsets } = this.#live('look up offsets by timestamp');
    return this.lookUp(`look up offsets of "${topic}" at ${timestamp}`, () =>
      offsets.offsetsForTimestamp(topic, timestamp),
    );
  }

  async committedOffsets(groupId: string, topic: string): Promise<(number | undefined)[]> {
    const { offsets } = this.#live('read committed offsets');
    return this.lookUp(`read committed offsets of group "${groupId}" on "${topic}"`, () =>
      offsets.committedOffsets(groupId, topic),
    );
  }

  async setCommittedOffsets(
    groupId: string,
    topic: string,
    values: readonly number[],
  ): Promise<void> {
    const { offsets } = this.#live('set committed offsets');
    await this.#deps.run(`set committed offsets of group "${groupId}" on "${topic}"`, () =>
      offsets.setCommittedOffsets(groupId, topic, values),
    );
  }

  /** A call start-up depends on: retriable answers are retried until startupTimeoutMs. */
  lookUp<T>(action: string, operation: () => Promise<T>): Promise<T> {
    return retryWithin(() => this.#deps.run(action, operation), {
      waitingFor: `the broker to ${action}`,
      deadlineMs: this.#deps.startupTimeoutMs,
      logger: this.#deps.logger,
      stopped: () => this.#deps.operations() === undefined,
    });
  }

  #live(action: string): BrokerOperations {
    const operations = this.#deps.operations();
    if (operations === undefined) throw new TransportClosedError(action);
    return operations;
  }
}

/** `"a", "b"`: topic names as messages quote them. */
export function quoted(topics: readonly string[]): string {
  return topics.map((topic) => `"${topic}"`).join(', ');
}

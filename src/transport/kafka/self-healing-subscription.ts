import { TransportError } from '../../errors/transport-error';
import type { Logger } from '../../logging/logger';
import { retryWithin } from '../retry-within';
import type { Subscription, TopicPartition } from '../transport';
import { errorMessage } from './kafka-errors';

/** One member of the group, on either Kafka client; start() joins. */
export interface GroupMember extends Subscription {
  start(): Promise<void>;
}

/** Makes a new group member; `onFatal` is called if its client gives up on it for good. */
export type MemberFactory<M extends GroupMember = GroupMember> = (
  onFatal: (error: Error) => void,
) => M;

const MAX_REJOIN_DELAY_MS = 10_000;

export interface StartRetryOptions {
  /** How long start() retries a first member that fails with a retriable error. */
  readonly startupTimeoutMs: number;
  readonly initialPauseMs?: number;
}

/**
 * A subscription that outlives its consumer. kafkajs restarts a consumer after retriable errors,
 * but gives up after some (retries exhausted while a broker restarts on a loaded machine, for
 * example); @platformatic/kafka's classic consumer loses its group when the coordinator's node
 * goes down (coordinator-loss.ts); the service must not stop consuming because of that. This
 * replaces the dead member with a new one in the same group, with a growing delay, until it
 * joins or stop() is called. Uncommitted records are simply delivered again to the new member.
 */
export class SelfHealingSubscription<M extends GroupMember = GroupMember> implements Subscription {
  readonly groupId: string;
  readonly #create: MemberFactory<M>;
  readonly #logger: Logger;
  readonly #onStopped: () => void;
  readonly #startRetry: StartRetryOptions;
  #current: M | undefined;
  #replacing: Promise<void> | undefined;
  #stopping = false;
  /**
   * While start() runs, a member's fatal crash is its own to handle: the crash also rejects
   * member.start(), and start() retries or gives up. Replacing the member as well would leave a
   * loop re-joining forever behind a subscribe() that already failed (a refused group).
   */
  #starting = false;
  #stopped: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(
    groupId: string,
    create: MemberFactory<M>,
    logger: Logger,
    onStopped: () => void,
    startRetry: StartRetryOptions = { startupTimeoutMs: 60_000 },
  ) {
    this.groupId = groupId;
    this.#startRetry = startRetry;
    this.#create = create;
    this.#logger = logger;
    this.#onStopped = onStopped;
  }

  /**
   * Joins with a first member. A fresh broker answers "no group coordinator" for seconds after it
   * accepts connections; a failed member has already left, so a new one is made until one joins,
   * a non-retriable error comes, or startupTimeoutMs has passed.
   */
  async start(): Promise<void> {
    this.#starting = true;
    try {
      await this.#startMember();
    } finally {
      this.#starting = false;
    }
  }

  async #startMember(): Promise<void> {
    await retryWithin(
      async () => {
        const member = this.#create((error) => this.#onFatal(member, error));
        this.#current = member;
        try {
          await member.start();
        } catch (error) {
          this.#current = undefined;
          throw error;
        }
      },
      {
        waitingFor: `the group coordinator of "${this.groupId}"`,
        deadlineMs: this.#startRetry.startupTimeoutMs,
        initialPauseMs: this.#startRetry.initialPauseMs,
        logger: this.#logger,
        stopped: () => this.#stopping,
      },
    );
  }

  assignment(): readonly TopicPartition[] {
    return this.#current?.assignment() ?? [];
  }

  seek(topic: string, partition: number, offset: number): void {
    if (this.#current === undefined) {
      throw new TransportError(
        `Kafka: cannot seek ${topic}[${partition}]: group "${this.groupId}" is re-joining after its consumer failed; seek again from onAssigned.`,
        { retriable: true },
      );
    }
    this.#current.seek(topic, partition, offset);
  }

  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      this.#stopping = true;
      this.#wake?.();
      await this.#replacing;
      await this.#current?.stop();
      this.#onStopped();
    })();
    return this.#stopped;
  }

  #onFatal(member: M, error: Error): void {
    const ownedElsewhere = this.#starting || this.#replacing !== undefined;
    if (this.#stopping || ownedElsewhere || member !== this.#current) return;
    this.#logger.error('consumer failed for good; replacing it with a new group member', {
      error: errorMessage(error),
    });
    this.#replacing = this.#replace(member).finally(() => (this.#replacing = undefined));
  }

  async #replace(dead: M): Promise<void> {
    this.#current = undefined;
    await dead
      .stop()
      .catch((error: unknown) =>
        this.#logger.warn('stopping the failed consumer failed', { error: errorMessage(error) }),
      );
    for (let attempt = 1; !this.#stopping; attempt++) {
      await this.#delay(Math.min(500 * 2 ** (attempt - 1), MAX_REJOIN_DELAY_MS));
      if (this.#stopping) return;
      const member = this.#create((error) => this.#onFatal(member, error));
      try {
        this.#current = member;
        await member.start();
        this.#logger.info('a new group member took over', { attempt });
        return;
      } catch (error) {
        this.#current = undefined;
        this.#logger.warn('re-joining failed; trying again', {
          attempt,
          error: errorMessage(error),
        });
        await member.stop().catch(() => undefined);
      }
    }
  }

  #delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}

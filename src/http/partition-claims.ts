import { randomUUID } from 'node:crypto';

import type { Clock } from '../clock/clock';
import { defineTopic } from '../codec/define-topic';
import { buildEnvelope, buildTombstone } from '../codec/envelope';
import type { TopicCodec } from '../codec/topic-codec';
import { QueryTimeoutError } from '../errors/query-timeout-error';
import { RoutingNotReadyError } from '../errors/routing-not-ready-error';
import type { Logger } from '../logging/logger';
import { INSTANCE_CLAIMS_GROUP_PREFIX } from '../model/consumer-group-names';
import { INSTANCE_CLAIMS_TOPIC } from '../model/topic-plan';
import { MaterializedTable } from '../state/tables/materialized-table';
import { MemoryTableStore } from '../state/tables/memory-table-store';
import { TableFeeder } from '../state/tables/table-feeder';
import type { TopicSpec, Transport } from '../transport/transport';
import type { InstanceAddress, InstanceDirectory } from './instance-directory';
import { waitUntil } from './wait-until';

/** One instance's claim: which partitions of a service's data it holds, and where it answers. */
export interface InstanceClaim {
  readonly service: string;
  readonly instanceId: string;
  readonly url: string;
  readonly partitions: readonly number[];
  /** When the claim was made; the latest claim of a partition wins while a rebalance settles. */
  readonly at: number;
}

/** A compacted topic of claims, read by every instance: the directory key-routed queries use. */
export const InstanceClaims = defineTopic<InstanceClaim>({
  name: INSTANCE_CLAIMS_TOPIC,
  entity: 'InstanceClaim',
  key: (claim) => `${claim.service}/${claim.instanceId}`,
  compacted: true,
});

export const INSTANCE_CLAIMS_SPEC: TopicSpec = {
  name: InstanceClaims.name,
  partitions: 1,
  compacted: true,
};

/**
 * Instances advertise the partitions they hold after every rebalance, and read everyone's claims,
 * so any instance can tell which one holds a key's partition and forward a query there.
 */
export class PartitionClaims implements InstanceDirectory {
  readonly self: { readonly instanceId: string };
  readonly #transport: Transport;
  readonly #clock: Clock;
  readonly #table: MaterializedTable<string, InstanceClaim>;
  readonly #feeder: TableFeeder<string, InstanceClaim>;
  /** This instance's latest claim per service: what it holds now, before the topic says so. */
  readonly #own = new Map<string, InstanceClaim>();
  readonly #ownChanged = new Set<() => void>();
  #url: string | undefined;

  constructor(
    instanceId: string,
    transport: Transport,
    clock: Clock,
    logger: Logger,
    values: TopicCodec,
  ) {
    this.self = { instanceId };
    this.#transport = transport;
    this.#clock = clock;
    this.#table = new MaterializedTable<string, InstanceClaim>(
      InstanceClaims.name,
      new MemoryTableStore(),
      clock,
    );
    this.#feeder = new TableFeeder(
      InstanceClaims,
      this.#table,
      transport,
      `${INSTANCE_CLAIMS_GROUP_PREFIX}${instanceId}.${randomUUID()}`,
      logger.child({ component: 'instance-registry' }),
      values,
    );
  }

  /** Reads the claims made so far; the URL is where this instance's HTTP server answers. */
  async start(url: string): Promise<void> {
    this.#url = url;
    await this.#feeder.start();
  }

  async claim(service: string, partitions: readonly number[]): Promise<void> {
    const claim: InstanceClaim = {
      service,
      instanceId: this.self.instanceId,
      url: this.#url ?? '',
      partitions: [...partitions].sort((a, b) => a - b),
      at: this.#clock.now(),
    };
    this.#setOwn(service, claim);
    const { record } = buildEnvelope(InstanceClaims, claim, {
      producer: service,
      timestamp: claim.at,
    });
    await this.#transport.produce(InstanceClaims.name, [record]);
  }

  async withdraw(service: string): Promise<void> {
    this.#setOwn(service, undefined);
    const { record } = buildTombstone(InstanceClaims, `${service}/${this.self.instanceId}`, {
      producer: service,
      timestamp: this.#clock.now(),
    });
    await this.#transport.produce(InstanceClaims.name, [record]);
  }

  /**
   * This instance for a partition it holds now (its own knowledge beats its claim's trip through
   * the topic); otherwise the other instance with the latest claim of it.
   */
  holderOf(service: string, _topic: string, partition: number): InstanceAddress | undefined {
    const self = this.self.instanceId;
    if (this.#own.get(service)?.partitions.includes(partition) === true) {
      return { instanceId: self, url: this.#url ?? '' };
    }
    let best: InstanceClaim | undefined;
    for (const [, claim] of this.#table.store.entries()) {
      if (claim.service !== service || claim.instanceId === self) continue;
      if (!claim.partitions.includes(partition)) continue;
      if (best === undefined || claim.at > best.at) best = claim;
    }
    return best === undefined ? undefined : { instanceId: best.instanceId, url: best.url };
  }

  /** Called after every change of the claims, this instance's own included. */
  onChange(listener: () => void): () => void {
    const offTable = this.#table.onChange(listener);
    this.#ownChanged.add(listener);
    return () => {
      offTable();
      this.#ownChanged.delete(listener);
    };
  }

  /**
   * True once every latest claim of this instance is in its view of the topic: the round trip
   * other instances rely on to route here works.
   */
  ownClaimsVisible(): boolean {
    for (const [service, claim] of this.#own) {
      const seen = this.#table.store.get(`${service}/${this.self.instanceId}`);
      if (seen?.at !== claim.at || seen.partitions.join() !== claim.partitions.join()) return false;
    }
    return true;
  }

  /**
   * Resolves once ownClaimsVisible(), so start() returns an instance that can route to itself;
   * RoutingNotReadyError after `timeoutMs`.
   */
  async untilOwnClaimsVisible(timeoutMs: number): Promise<void> {
    try {
      await waitUntil(() => (this.ownClaimsVisible() ? true : undefined), {
        timeoutMs,
        changes: this,
      });
    } catch (error) {
      if (!QueryTimeoutError.is(error)) throw error;
      throw new RoutingNotReadyError([...this.#own.keys()], timeoutMs, error);
    }
  }

  /** Resolves once this instance can see its own latest claim (a test of the round trip). */
  waitForClaim(
    service: string,
    predicate: (claim: InstanceClaim) => boolean,
    timeoutMs: number,
  ): Promise<InstanceClaim> {
    return this.#table.waitFor(`${service}/${this.self.instanceId}`, predicate, timeoutMs);
  }

  stop(): Promise<void> {
    return this.#feeder.stop();
  }

  #setOwn(service: string, claim: InstanceClaim | undefined): void {
    if (claim === undefined) this.#own.delete(service);
    else this.#own.set(service, claim);
    for (const listener of [...this.#ownChanged]) listener();
  }
}

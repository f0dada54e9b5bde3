import { randomUUID } from 'node:crypto';

import type { Clock } from '../clock/clock';
import { defineTopic } from '../codec/define-topic';
import { buildEnvelope, buildTombstone } from '../codec/envelope';
import type { TopicCodec } from '../codec/topic-codec';
import type { Logger } from '../logging/logger';
import { INSTANCE_CLAIMS_TOPIC } from '../model/topic-plan';
import { MaterializedTable } from '../state/tables/materialized-table';
import { MemoryTableStore } from '../state/tables/memory-table-store';
import { TableFeeder } from '../state/tables/table-feeder';
import type { TopicSpec, Transport } from '../transport/transport';
import type { InstanceAddress, InstanceDirectory } from './instance-directory';

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
      `streamwise.instances.${instanceId}.${randomUUID()}`,
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
    const { record } = buildEnvelope(InstanceClaims, claim, {
      producer: service,
      timestamp: claim.at,
    });
    await this.#transport.produce(InstanceClaims.name, [record]);
  }

  async withdraw(service: string): Promise<void> {
    const { record } = buildTombstone(InstanceClaims, `${service}/${this.self.instanceId}`, {
      producer: service,
      timestamp: this.#clock.now(),
    });
    await this.#transport.produce(InstanceClaims.name, [record]);
  }

  holderOf(service: string, _topic: string, partition: number): InstanceAddress | undefined {
    let best: InstanceClaim | undefined;
    for (const [, claim] of this.#table.store.entries()) {
      if (claim.service !== service || !claim.partitions.includes(partition)) continue;
      if (best === undefined || claim.at > best.at) best = claim;
    }
    return best === undefined ? undefined : { instanceId: best.instanceId, url: best.url };
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
}

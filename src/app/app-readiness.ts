import type { PartitionLag, ReadinessCheck, ReadinessProvider } from '../http/readiness-provider';
import type { Transport } from '../transport/transport';
import type { ServiceHost } from './service-host';

/**
 * The app's answer to /health/ready: every table caught up with the log as it was at start, and
 * every service with handlers holding a place in its consumer group with no partition paused for
 * a state restore that failed (see AssignmentRestores). Lag is per partition of each
 * handled topic (end offset minus the group's committed offset) and per table partition.
 */
export class AppReadiness implements ReadinessProvider {
  readonly #hosts: () => readonly ServiceHost[];
  readonly #transport: Transport;

  constructor(hosts: () => readonly ServiceHost[], transport: Transport) {
    this.#hosts = hosts;
    this.#transport = transport;
  }

  isReady(): boolean {
    return this.#hosts().length > 0 && this.checks().every((check) => check.ready);
  }

  checks(): ReadinessCheck[] {
    const checks: ReadinessCheck[] = [];
    for (const host of this.#hosts()) {
      if (host.description.handlers.length > 0) {
        const joined = host.subscription !== undefined;
        checks.push({
          name: `${host.description.name} consumer group`,
          ready: joined,
          detail: joined
            ? `${host.subscription?.assignment().length ?? 0} partition(s) assigned`
            : 'not subscribed',
        });
        const restores = host.restores.check();
        if (restores !== undefined) checks.push(restores);
      }
      checks.push(...host.replicas());
      for (const table of host.tables()) {
        const behind = table.lag.reduce((sum, p) => sum + p.lag, 0);
        checks.push({
          name: `table ${table.name}`,
          ready: table.ready,
          detail: table.ready ? 'caught up' : `${behind} record(s) behind`,
        });
      }
    }
    return checks;
  }

  async lag(): Promise<PartitionLag[]> {
    const lags: PartitionLag[] = [];
    for (const host of this.#hosts()) {
      const topics = [...new Set(host.description.handlers.map((h) => h.topic.name))];
      for (const topic of topics) {
        const [committed, ends] = await Promise.all([
          this.#transport.committedOffsets(host.description.name, topic),
          this.#transport.endOffsets(topic),
        ]);
        ends.forEach((end, partition) =>
          lags.push({ topic, partition, lag: end - (committed[partition] ?? 0) }),
        );
      }
      for (const table of host.tables()) {
        for (const { partition, lag } of table.lag)
          lags.push({ topic: table.name, partition, lag });
      }
    }
    return lags;
  }
}

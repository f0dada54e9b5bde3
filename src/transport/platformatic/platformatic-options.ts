import type { Logger } from '../../logging/logger';
import type {
  KafkaConsumerTuning,
  KafkaProducerTuning,
  RedeliveryBackoffOptions,
} from '../kafka/kafka-options';
import type { KafkaSaslOptions, KafkaSslOptions } from '../kafka-security-options';

/** How @platformatic/kafka repeats a failed request: a fixed wait between attempts. */
export interface PlatformaticRetryOptions {
  /** Attempts after the first one. */
  readonly retries?: number;
  readonly retryDelayMs?: number;
}

/**
 * How a subscription's members share partitions: `classic` (JoinGroup/SyncGroup, eager
 * rebalances, the co-partitioning assignment computed by the group leader) or `consumer`
 * (KIP-848: the broker assigns with its `range` assignor and a rebalance only moves the
 * partitions that change owner; Kafka 4.0 or later).
 */
export type PlatformaticGroupProtocol = 'classic' | 'consumer';

/**
 * The options of PlatformaticKafkaTransport: the same as KafkaTransport's where the clients share
 * a meaning (brokers, login, TLS, timeouts, group and produce tuning, redelivery); `retry` is the
 * client's own, and there is no client log level (@platformatic/kafka logs through `debug`).
 */
export interface PlatformaticKafkaTransportOptions {
  /** Bootstrap brokers as "host:port". */
  readonly brokers: readonly string[];
  readonly clientId?: string;
  /** TLS to the brokers: `true` trusts the system's CAs; an object gives Node's TLS options. */
  readonly ssl?: KafkaSslOptions;
  /** SASL login (PLAIN, SCRAM-SHA-256/512, OAUTHBEARER), as for KafkaTransport. */
  readonly sasl?: KafkaSaslOptions;
  /** Where the transport logs; default: JSON lines on stderr, warnings and errors only. */
  readonly logger?: Logger;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** As KafkaTransport's: how long start-up waits out a broker that is not there (ready) yet. */
  readonly startupTimeoutMs?: number;
  readonly retry?: PlatformaticRetryOptions;
  /**
   * Replicas of each topic createTopics makes (the app's own topics, dead-letter topics and
   * changelogs). Default: the cluster's `default.replication.factor`, so a topic gets the
   * replication the cluster is set up for (1 on a single dev broker, 3 on most production ones).
   */
  readonly replicationFactor?: number;
  /** Partitions a subscription handles at the same time. */
  readonly partitionsConsumedConcurrently?: number;
  readonly redeliveryBackoff?: RedeliveryBackoffOptions;
  readonly consumer?: KafkaConsumerTuning;
  readonly producer?: KafkaProducerTuning;
  /**
   * The group protocol of every subscription (default `classic`). With `consumer` the broker sets
   * the heartbeat interval and session timeout (group.consumer.*): consumer.heartbeatIntervalMs
   * and consumer.sessionTimeoutMs apply to `classic` only; consumer.rebalanceTimeoutMs is how long
   * a member may take to give partitions up.
   */
  readonly groupProtocol?: PlatformaticGroupProtocol;
  /**
   * How long an exactly-once transaction may stay open before the broker aborts it (default
   * 10 s, Kafka Streams' value; at most the broker's transaction.max.timeout.ms). A killed
   * instance's open transaction holds read_committed readers and its partitions' next owner back
   * this long at most: its transactional id is not taken over by anyone, so nothing fences it
   * sooner. A batch's transaction must end within it (it commits every 100 ms).
   */
  readonly transactionTimeoutMs?: number;
  /**
   * This instance's name, the same across its restarts and unique among the instances running at
   * once (for example a process that only ever runs alone, like a CLI command). An exactly-once
   * subscription's transactional id is then `<groupId>-<instanceId>` rather than random, so a
   * restarted instance aborts the transaction its killed predecessor left open when it starts,
   * instead of leaving read_committed readers (and its own output) behind it for
   * transactionTimeoutMs. Two running instances with one instanceId fence each other's
   * transactions; a transport refuses a second exactly-once subscription of a group.
   */
  readonly instanceId?: string;
}

import type { Logger } from '../../logging/logger';
import type { KafkaCompression } from '../kafka-compression';
import type { KafkaSaslOptions, KafkaSslOptions } from '../kafka-security-options';

/** How kafkajs retries a failed request (its own retrier; see kafkajs' "retry" client option). */
export interface KafkaRetryOptions {
  /** Attempts after the first one. */
  readonly retries?: number;
  readonly initialRetryTimeMs?: number;
  /** Cap of one wait between attempts. */
  readonly maxRetryTimeMs?: number;
  /** Randomization factor, 0..1. */
  readonly factor?: number;
  /** Exponential growth of the wait, >= 1. */
  readonly multiplier?: number;
}

/** Consumer-group tuning. Session and heartbeat default to 10 s and 3 s as in Kafka Streams (kafkajs: 30 s), so a killed member is replaced within about 10 s; `maxWaitTimeMs` is Java's fetch.max.wait.ms. */
export interface KafkaConsumerTuning {
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly rebalanceTimeoutMs?: number;
  /**
   * Longest a fetch waits on the broker for new records. It also bounds how late a paused
   * partition (a record waiting for redelivery) resumes and how long stop() waits for a fetch.
   */
  readonly maxWaitTimeMs?: number;
}

/**
 * How the transport's producer writes. Concurrent `produce` calls (every publish outside a
 * handler: HTTP commands, timers, `onStart`) share produce requests: calls that arrive while a
 * request is in flight, or within the linger, go out together in one request, each still
 * resolving with its own offsets.
 */
export interface KafkaProducerTuning {
  /**
   * How record batches are compressed (Kafka's compression.type; default `none`; zstd needs Node
   * 22.15 or later). The client then hands one compressed buffer on per batch instead of several
   * small ones per record and header, which made the benchmark's relay faster with lz4
   * (bench/RESULTS.md). Both transports and the CLI read every codec (zstd, too, only on Node
   * 22.15 or later); other consumers of the topics must too. The broker keeps a batch as written
   * unless the topic's compression.type says otherwise.
   */
  readonly compression?: KafkaCompression;
  /**
   * How long a call waits for others before its request goes out (Kafka's linger.ms). Default 0:
   * only until the current turn of the event loop ends.
   */
  readonly lingerMs?: number;
  /** Records per merged request (default 1000); one larger call still goes out whole. */
  readonly batchMaxRecords?: number;
  /**
   * Estimated bytes per merged request (default 512 KiB, at most 1,000,000: the broker refuses a
   * partition's batch above its message.max.bytes, 1 MiB by default); one larger call still goes
   * out whole.
   */
  readonly batchMaxBytes?: number;
}

export interface RedeliveryBackoffOptions {
  /** Wait before the first redelivery of a record whose handler rejected. */
  readonly initialMs?: number;
  /** The wait doubles per failed attempt up to this cap. */
  readonly maxMs?: number;
}

export type KafkaClientLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

export interface KafkaTransportOptions {
  /** Bootstrap brokers as "host:port". */
  readonly brokers: readonly string[];
  readonly clientId?: string;
  /** TLS to the brokers: `true` trusts the system's CAs; an object gives Node's TLS options. */
  readonly ssl?: KafkaSslOptions;
  /**
   * SASL login: PLAIN, SCRAM-SHA-256/512 with username and password, or OAUTHBEARER with a token
   * provider. The password never appears in a log or an error message.
   */
  readonly sasl?: KafkaSaslOptions;
  /** Where the transport and kafkajs log; default: JSON lines on stderr, warnings and errors only. */
  readonly logger?: Logger;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /**
   * How long connect(), subscribe() and the topic and offset look-ups wait out a broker that is
   * unreachable or not ready (no group coordinator or partition leader yet), retrying with
   * backoff and logging what they wait for, before failing with a retriable TransportError
   * (default 60000). An app's start() goes through all of them.
   */
  readonly startupTimeoutMs?: number;
  readonly retry?: KafkaRetryOptions;
  /**
   * Replicas of each topic createTopics makes (the app's own topics, dead-letter topics and
   * changelogs). Default: the cluster's `default.replication.factor`, so a topic gets the
   * replication the cluster is set up for (1 on a single dev broker, 3 on most production ones).
   */
  readonly replicationFactor?: number;
  /** Partitions a subscription handles at the same time (kafkajs partitionsConsumedConcurrently). */
  readonly partitionsConsumedConcurrently?: number;
  readonly redeliveryBackoff?: RedeliveryBackoffOptions;
  readonly consumer?: KafkaConsumerTuning;
  readonly producer?: KafkaProducerTuning;
  /** The lowest kafkajs log level passed to the logger (default "warn"). */
  readonly kafkaLogLevel?: KafkaClientLogLevel;
}

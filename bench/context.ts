import type { Kafka } from 'kafkajs';

import type { BenchConfig } from './config';
import { CountingLogger } from './counting-logger';
import { benchKafka } from './kafka-client';
import { TimedProfiles } from './timed-profiles';

/** What every scenario gets: settings, a kafkajs client for plumbing, names and a logger. */
export interface BenchContext {
  readonly config: BenchConfig;
  readonly kafka: Kafka;
  /** Starts every topic, group and service name of this benchmark run ("bench-<id>-"). */
  readonly prefix: string;
  /** Logger for streamwise apps and transports: warnings are counted and reported per run. */
  readonly logger: CountingLogger;
  /** CPU profiles of the timed part of each run (BENCH_PROFILE_DIR); does nothing without it. */
  readonly profiles: TimedProfiles;
}

/** The context of one benchmark run whose names all start with `prefix`. */
export function createBenchContext(config: BenchConfig, prefix: string): BenchContext {
  return {
    config,
    kafka: benchKafka(config.brokers, `${prefix}client`),
    prefix,
    logger: new CountingLogger(),
    profiles: new TimedProfiles(config.profileDir),
  };
}

/** A topic, group or service name unique to one run of one scenario (kebab-case). */
export function runName(context: BenchContext, scenario: string, run: string, part = ''): string {
  return `${context.prefix}${scenario}-${run}${part === '' ? '' : `-${part}`}`;
}

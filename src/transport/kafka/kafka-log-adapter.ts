import { type logCreator, type LogEntry, logLevel as KafkaLogLevel } from 'kafkajs';

import type { LogFields, Logger, LogLevel } from '../../logging/logger';
import { RateLimitedLogger } from '../../logging/rate-limited-logger';
import { type AuthorizationDenials, PROCESS_DENIALS } from './authorization-denials';

/**
 * Routes kafkajs' log entries into a streamwise Logger: one entry per kafkajs log call, with
 * kafkajs' namespace (Consumer, Runner, Producer...) and its extra fields kept as fields.
 *
 * kafkajs logs routine events loudly: every error response of the broker at ERROR (a heartbeat
 * answered "rebalancing" on every rebalance), every retried request at ERROR. Those are demoted,
 * since whatever finally fails reaches the caller as a rejected promise (or a crash event):
 * - broker error responses ("Response Heartbeat(...)") → debug
 * - failures kafkajs is about to retry (entries with a retryCount) → warn
 * - "The group is rebalancing, re-joining" → info
 *
 * A broker outage makes every client repeat the same warnings and errors many times a second:
 * each is written once per interval, then summarized with its count (RateLimitedLogger).
 *
 * kafkajs is asked for ERROR entries at least (see kafkaClientLogLevel) so that a refused
 * FindCoordinator reaches `denials` even when `level` logs nothing; only entries at `level` or
 * more important are written.
 */
export function kafkaLogCreator(
  logger: Logger,
  denials: AuthorizationDenials = PROCESS_DENIALS,
  level: KafkaLogLevel = KafkaLogLevel.DEBUG,
): logCreator {
  const target = new RateLimitedLogger(logger.child({ source: 'kafkajs' }));
  return () => (entry: LogEntry) => {
    if (entry.namespace === 'Connection') denials.note(String(entry.log.message), entry.log.error);
    if (entry.level <= level) writeEntry(target, entry);
  };
}

/** What kafkajs itself is asked to log: `level`, and ERROR at least (see kafkaLogCreator). */
export function kafkaClientLogLevel(level: KafkaLogLevel): KafkaLogLevel {
  return Math.max(level, KafkaLogLevel.ERROR);
}

export function writeEntry(logger: Logger, { namespace, level, log }: LogEntry): void {
  const fields: Record<string, unknown> = { namespace };
  for (const [key, value] of Object.entries(log)) {
    if (key !== 'message' && key !== 'timestamp' && key !== 'logger') fields[key] = value;
  }
  const message = typeof log.message === 'string' ? log.message : String(log.message);
  const frozen: LogFields = fields;
  logger[levelFor(namespace, level, message, 'retryCount' in fields)](message, frozen);
}

export function levelFor(
  namespace: string,
  level: KafkaLogLevel,
  message: string,
  retrying: boolean,
): LogLevel {
  const natural = naturalLevel(level);
  if (namespace === 'Connection' && message.startsWith('Response ')) return 'debug';
  if (message.startsWith('The group is rebalancing')) return lower(natural, 'info');
  if (retrying) return lower(natural, 'warn');
  return natural;
}

function naturalLevel(level: KafkaLogLevel): LogLevel {
  switch (level) {
    case KafkaLogLevel.ERROR:
      return 'error';
    case KafkaLogLevel.WARN:
      return 'warn';
    case KafkaLogLevel.INFO:
      return 'info';
    default:
      return 'debug';
  }
}

const ORDER: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

function lower(level: LogLevel, cap: LogLevel): LogLevel {
  return ORDER[level] > ORDER[cap] ? cap : level;
}

import { logLevel as KafkaLogLevel, type LogEntry, type logCreator } from 'kafkajs';

import type { LogFields, Logger } from '../../logging/logger';

/**
 * Routes kafkajs' log entries into a streamwise Logger: one entry per kafkajs log call, with
 * kafkajs' namespace (Consumer, Runner, Producer...) and its extra fields kept as fields.
 */
export function kafkaLogCreator(logger: Logger): logCreator {
  const target = logger.child({ source: 'kafkajs' });
  return () => (entry: LogEntry) => {
    writeEntry(target, entry);
  };
}

export function writeEntry(logger: Logger, { namespace, level, log }: LogEntry): void {
  const fields: Record<string, unknown> = { namespace };
  for (const [key, value] of Object.entries(log)) {
    if (key !== 'message' && key !== 'timestamp' && key !== 'logger') fields[key] = value;
  }
  const message = typeof log.message === 'string' ? log.message : String(log.message);
  const frozen: LogFields = fields;
  switch (level) {
    case KafkaLogLevel.ERROR:
      logger.error(message, frozen);
      break;
    case KafkaLogLevel.WARN:
      logger.warn(message, frozen);
      break;
    case KafkaLogLevel.INFO:
      logger.info(message, frozen);
      break;
    default:
      logger.debug(message, frozen);
  }
}

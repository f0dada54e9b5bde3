import { logLevel } from 'kafkajs';

import type { LogFields, Logger } from '../../logging/logger';
import { kafkaLogCreator, levelFor } from './kafka-log-adapter';

class RecordingLogger implements Logger {
  readonly lines: [string, string, LogFields | undefined][] = [];
  readonly bindings: LogFields[] = [];
  debug(message: string, fields?: LogFields): void {
    this.lines.push(['debug', message, fields]);
  }
  info(message: string, fields?: LogFields): void {
    this.lines.push(['info', message, fields]);
  }
  warn(message: string, fields?: LogFields): void {
    this.lines.push(['warn', message, fields]);
  }
  error(message: string, fields?: LogFields): void {
    this.lines.push(['error', message, fields]);
  }
  child(bindings: LogFields): Logger {
    this.bindings.push(bindings);
    return this;
  }
}

describe('kafkaLogCreator', () => {
  it('writes a line kafkajs repeats during a broker outage once per interval, not once per call', () => {
    const logger = new RecordingLogger();
    const log = kafkaLogCreator(logger)(logLevel.INFO);
    for (let i = 0; i < 150; i++) {
      log({
        namespace: 'Connection',
        level: logLevel.ERROR,
        label: 'ERROR',
        log: {
          timestamp: 'now',
          logger: 'kafkajs',
          message: 'Connection error: connect ECONNREFUSED',
          broker: 'b:1',
        },
      });
    }
    expect(logger.lines).toEqual([
      [
        'error',
        'Connection error: connect ECONNREFUSED',
        { namespace: 'Connection', broker: 'b:1' },
      ],
    ]);
  });

  it('forwards entries with namespace and extra fields, without kafkajs’ own timestamp', () => {
    const logger = new RecordingLogger();
    const log = kafkaLogCreator(logger)(logLevel.INFO);
    log({
      namespace: 'Consumer',
      level: logLevel.WARN,
      label: 'WARN',
      log: { timestamp: 'now', logger: 'kafkajs', message: 'hello', groupId: 'g' },
    });
    expect(logger.bindings).toEqual([{ source: 'kafkajs' }]);
    expect(logger.lines).toEqual([['warn', 'hello', { namespace: 'Consumer', groupId: 'g' }]]);
  });

  it('demotes routine noise and keeps real errors', () => {
    expect(levelFor('Connection', logLevel.ERROR, 'Response Heartbeat(key: 12)', false)).toBe(
      'debug',
    );
    expect(levelFor('Runner', logLevel.WARN, 'The group is rebalancing, re-joining', false)).toBe(
      'info',
    );
    expect(levelFor('Producer', logLevel.ERROR, 'Failed to send messages', true)).toBe('warn');
    expect(levelFor('Consumer', logLevel.ERROR, 'Crash: KafkaJSError', false)).toBe('error');
    expect(levelFor('Consumer', logLevel.DEBUG, 'fetch', true)).toBe('debug');
  });
});

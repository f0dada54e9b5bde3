import { ConfigurationError } from '../errors/configuration-error';
import { SilentLogger } from '../logging/silent-logger';
import { readOptions } from '../options/read-options';
import { QueryServer } from './query-server';
import type { QueryServerOptions } from './query-server-options';
import { QUERY_SERVER_OPTIONS } from './query-server-options-spec';

const read = (options: object) =>
  readOptions(QUERY_SERVER_OPTIONS, { logger: new SilentLogger(), ...options });

describe('QueryServer options', () => {
  it('fills in the defaults', () => {
    expect(read({})).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      forwardTimeoutMs: 10_000,
      stopGraceMs: 10_000,
      bodyLimit: 1_048_576,
    });
  });

  it.each<[string, object, RegExp]>([
    [
      'a port out of range',
      { port: 70_000 },
      /^QueryServer: port must be a whole number from 0 to 65535 \(0 picks a free port\), got 70000\.$/,
    ],
    [
      'a zero forward timeout',
      { forwardTimeoutMs: 0 },
      /forwardTimeoutMs must be a positive number of milliseconds, got 0/,
    ],
    [
      'a negative grace',
      { stopGraceMs: -1 },
      /stopGraceMs must be a positive number of milliseconds, got -1/,
    ],
    [
      'a directory without holderOf',
      { directory: {} },
      /directory must be an InstanceDirectory \(an object with holderOf, onChange\), got an object without holderOf/,
    ],
    ['a misspelt option', { prot: 1 }, /unknown option "prot"/],
  ])('rejects %s, naming the option, the value and the fix', (_, options, message) => {
    expect(() => read(options)).toThrow(ConfigurationError);
    expect(() => read(options)).toThrow(message);
  });

  it('is what the constructor checks', () => {
    expect(() => new QueryServer({ port: -1 } as unknown as QueryServerOptions)).toThrow(
      /QueryServer: logger must be a Logger .*, got undefined\. port must be .*, got -1\./,
    );
  });
});

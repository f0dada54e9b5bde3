import { Container } from 'inversify';

import { ManualClock } from '../clock/manual-clock';
import { defineTopic } from '../codec/define-topic';
import { InMemorySchemaRegistry } from '../codec/registry/in-memory-schema-registry';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { ConfigurationError } from '../errors/configuration-error';
import { SilentLogger } from '../logging/silent-logger';
import { StreamService } from '../runtime/stream-service';
import { MemoryTransport } from '../transport/memory/memory-transport';
import type { StreamwiseAppOptions } from './app-options';
import { StreamwiseApp } from './streamwise-app';

const Notes = defineTopic<{ id: string }>({ name: 'notes', entity: 'Note', key: (n) => n.id });

@Service('notes-service')
@OwnsTopic(Notes)
class NotesService extends StreamService {}

/** Options as a caller might write them, mistakes and all (hence `object`). */
const create = (options: object) =>
  StreamwiseApp.create({
    services: [NotesService],
    transport: new MemoryTransport(),
    ...options,
  });

describe('StreamwiseApp options', () => {
  it("accepts every option in its valid form, and leaves the caller's object as it was", () => {
    const options = {
      services: [NotesService],
      transport: new MemoryTransport(),
      container: new Container(),
      clock: new ManualClock(),
      logger: new SilentLogger(),
      retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 100, multiplier: 2 },
      owners: { payments: 'payments-service' },
      http: { host: '127.0.0.1', port: 0, advertisedUrl: 'http://10.0.0.5:8080' },
      instanceId: 'instance-1',
      handleSignals: false,
      schemaRegistry: new InMemorySchemaRegistry(),
      stateDir: '/tmp/streamwise-state',
      rebuildTables: true,
      createForeignTopics: true,
      tracing: { consumerSpans: 'child' as const },
      metrics: { prometheus: true },
    };
    const services = options.services;
    expect(StreamwiseApp.create(options).instanceId).toBe('instance-1');
    expect(options.services).toBe(services);
    expect(options.http).toEqual({
      host: '127.0.0.1',
      port: 0,
      advertisedUrl: 'http://10.0.0.5:8080',
    });
    expect(() =>
      create({ http: false, schemaRegistry: { url: 'http://localhost:8081' } }),
    ).not.toThrow();
  });

  it('requires a transport, naming both to pick from', () => {
    const withoutTransport = { services: [NotesService] } as unknown as StreamwiseAppOptions;
    expect(() => StreamwiseApp.create(withoutTransport)).toThrow(ConfigurationError);
    expect(() => StreamwiseApp.create(withoutTransport)).toThrow(
      /^StreamwiseApp: transport must be a Transport .*, got undefined\. .*transport: memoryTransport\(\).*new KafkaTransport\(\{ brokers: \['127\.0\.0\.1:9092'\] \}\) from 'streamwise\/kafka'/,
    );
  });

  it('reports every problem in one error', () => {
    expect(() => create({ instanceId: '', handleSignals: 'yes', signalStopTimeoutMs: 0 })).toThrow(
      /instanceId must be a non-empty string, got "". handleSignals must be true or false, got "yes". signalStopTimeoutMs must be a positive whole number, got 0\./,
    );
  });

  it.each<[string, object, RegExp]>([
    [
      'an object that is not a transport',
      { transport: {} },
      /transport must be a Transport \(an object with connect, disconnect, createTopics, subscribe, produce\), got an object without connect/,
    ],
    [
      'no services',
      { services: [] },
      /services must be a non-empty array of @Service classes.*, got an empty array/,
    ],
    [
      'an undefined service',
      { services: [undefined] },
      /services\[0\] must be a @Service class, got undefined\. An undefined entry usually means a circular import/,
    ],
    [
      'a misspelt option',
      { loger: new SilentLogger() },
      /unknown option "loger"; the valid ones are services, transport,/,
    ],
    [
      'a logger without child()',
      { logger: { info: () => undefined } },
      /logger must be a Logger .*, got an object without debug, warn, error, child/,
    ],
    [
      'a clock that is a number',
      { clock: 5 },
      /clock must be a Clock \(an object with now, sleep\), got 5/,
    ],
    [
      'a container that is a class',
      { container: Container },
      /container must be an inversify Container \(an object with get, bind, isBound\), got class Container\./,
    ],
    [
      'zero retry attempts',
      { retry: { attempts: 0 } },
      /retry.attempts must be a whole number >= 1 \(1 means no retry\), got 0/,
    ],
    ['a misspelt retry field', { retry: { attempt: 2 } }, /unknown retry field "attempt"/],
    [
      'a retry cap below its start',
      { retry: { initialDelayMs: 500, maxDelayMs: 100 } },
      /retry.maxDelayMs \(100\) must be >= retry.initialDelayMs \(500\)/,
    ],
    [
      'an owner that is not a name',
      { owners: { payments: 42 } },
      /owners.payments must be the name of the service that owns the topic, got 42/,
    ],
    [
      'an envelope in three headers',
      { envelopeHeaders: 'three' },
      /envelopeHeaders must be 'single' or 'separate', got "three"/,
    ],
    [
      'http: true',
      { http: true },
      /http must be false \(no server\) or an object with host, port, advertisedUrl, got true/,
    ],
    [
      'a port out of range',
      { http: { port: 70_000 } },
      /http.port must be a whole number from 0 to 65535 \(0 picks a free port\), got 70000/,
    ],
    [
      'an advertised URL without scheme',
      { http: { advertisedUrl: 'host:8080' } },
      /http.advertisedUrl must be an http\(s\) URL .*, got "host:8080"/,
    ],
    [
      'a misspelt http field',
      { http: { prot: 8080 } },
      /unknown http field "prot"; the valid ones are host, port, advertisedUrl/,
    ],
    [
      'a registry URL that is not http',
      { schemaRegistry: { url: 'localhost:8081' } },
      /schemaRegistry.url must be an http\(s\) URL such as "http:\/\/localhost:8081", got "localhost:8081"/,
    ],
    [
      'a registry object that is not one',
      { schemaRegistry: { register: () => 1 } },
      /schemaRegistry must be \{ url: "http:\/\/host:8081" \} or a SchemaRegistry such as new InMemorySchemaRegistry\(\) from .streamwise\/testing., got an object without getSchema/,
    ],
    ['a blank stateDir', { stateDir: '  ' }, /stateDir must be a folder path, got " {2}"/],
    ['rebuildTables: 1', { rebuildTables: 1 }, /rebuildTables must be true or false, got 1/],
    [
      'createForeignTopics: "no"',
      { createForeignTopics: 'no' },
      /createForeignTopics must be true or false, got "no"/,
    ],
    [
      'metrics.prometheus that is not a boolean',
      { metrics: { prometheus: 'yes' } },
      /metrics.prometheus must be true \(serve GET \/metrics\) or false, got "yes"/,
    ],
    [
      'a misspelt metrics field',
      { metrics: { promethus: true } },
      /unknown metrics field "promethus"; the valid ones are prometheus/,
    ],
    [
      'metrics.prometheus without an HTTP server',
      { metrics: { prometheus: true }, http: false },
      /metrics.prometheus serves GET \/metrics on the app's HTTP server, which http: false turns off/,
    ],
  ])(
    'rejects %s with a ConfigurationError naming the option, the value and the fix',
    (_, options, message) => {
      expect(() => create(options)).toThrow(ConfigurationError);
      expect(() => create(options)).toThrow(message);
    },
  );
});

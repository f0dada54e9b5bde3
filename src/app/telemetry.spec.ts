import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

import { Inventory, type Stock } from '../../test/support/inventory-topic';
import { registerTestMetrics, type TestMetrics } from '../../test/support/otel-metrics';
import type { TestTracing } from '../../test/support/otel-sdk';
import { registerTestTracing } from '../../test/support/otel-sdk';
import { waitFor } from '../../test/support/wait-for';
import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { Materialize } from '../decorators/materialize';
import { OwnsTopic } from '../decorators/owns-topic';
import { Query } from '../decorators/query';
import { Service } from '../decorators/service';
import type { QueryRequest } from '../http/query-request';
import { SilentLogger } from '../logging/silent-logger';
import { StreamService } from '../runtime/stream-service';
import type { RestoreProgress } from '../state/restore-progress';
import type { ReadOnlyTable } from '../state/tables/read-only-table';
import { MemoryBroker } from '../transport/memory/memory-broker';
import { MemoryTransport } from '../transport/memory/memory-transport';
import { StreamwiseApp } from './streamwise-app';

interface Ask {
  id: string;
  fail?: boolean;
}
const Asks = defineTopic<Ask>({ name: 'asks', entity: 'Ask', key: (a) => a.id, partitions: 2 });
const Answers = defineTopic<Ask>({ name: 'answers', entity: 'Answer', key: (a) => a.id });

@Service('front')
@OwnsTopic(Asks)
class Front extends StreamService {
  @Query('POST /asks')
  async ask(request: QueryRequest): Promise<{ eventId: string }> {
    const event = await this.publish(Asks, request.body as Ask);
    return { eventId: event.eventId };
  }
}

@Service('middle')
@OwnsTopic(Answers)
class Middle extends StreamService {
  @EventHandler(Asks, { retry: { attempts: 2, initialDelayMs: 0 } })
  async onAsk(ask: Ask): Promise<void> {
    if (ask.fail === true) throw new Error(`cannot answer ${ask.id}`);
    await this.publish(Answers, ask);
  }
}

@Service('back')
class Back extends StreamService {
  readonly seen: string[] = [];
  @EventHandler(Answers)
  onAnswer(answer: Ask): void {
    this.seen.push(answer.id);
  }
}

@Service('stock-owner')
@OwnsTopic(Inventory)
class StockOwner extends StreamService {
  set(stock: Stock): Promise<unknown> {
    return this.publish(Inventory, stock);
  }
  remove(product: string): Promise<unknown> {
    return this.publishTombstone(Inventory, product);
  }
}

@Service('stock-reader')
class StockReader extends StreamService {
  @Materialize(Inventory)
  readonly stock!: ReadOnlyTable<string, Stock>;
}

describe('tracing through @opentelemetry/api', () => {
  let tracing: TestTracing | undefined;
  let app: StreamwiseApp | undefined;
  let broker = new MemoryBroker();

  afterEach(async () => {
    await app?.stop();
    await tracing?.stop();
    app = undefined;
    tracing = undefined;
  });

  async function start(consumerSpans?: 'linked' | 'child'): Promise<StreamwiseApp> {
    broker = new MemoryBroker();
    app = await StreamwiseApp.create({
      services: [Front, Middle, Back],
      transport: new MemoryTransport({ broker }),
      logger: new SilentLogger(),
      ...(consumerSpans === undefined ? {} : { tracing: { consumerSpans } }),
    }).start();
    return app;
  }
  async function post(ask: Ask): Promise<Response> {
    return fetch(`${app?.httpUrl as string}/asks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ask),
    });
  }
  const named = (name: string): ReadableSpan[] =>
    (tracing?.spans() ?? []).filter((s) => s.name === name);
  const one = (name: string): ReadableSpan => {
    const found = named(name);
    expect(found).toHaveLength(1);
    return found[0];
  };

  it('makes one trace of a request and all it causes when consumer spans are children', async () => {
    tracing = registerTestTracing();
    const started = await start('child');
    expect((await post({ id: 'a1' })).status).toBe(200);
    await waitFor(() => started.service(Back).seen.includes('a1'), 'the answer');
    await waitFor(() => named('process answers').length === 1, 'the last span');

    const request = one('POST /asks');
    const sendAsk = one('send asks');
    const processAsk = one('process asks');
    const sendAnswer = one('send answers');
    const processAnswer = one('process answers');
    const trace = request.spanContext().traceId;
    for (const span of [sendAsk, processAsk, sendAnswer, processAnswer]) {
      expect(span.spanContext().traceId).toBe(trace);
    }
    expect(request.kind).toBe(SpanKind.SERVER);
    expect(request.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/asks',
      'url.path': '/asks',
      'http.response.status_code': 200,
    });
    expect(sendAsk.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(processAsk.parentSpanContext?.spanId).toBe(sendAsk.spanContext().spanId);
    expect(sendAnswer.parentSpanContext?.spanId).toBe(processAsk.spanContext().spanId);
    expect(processAnswer.parentSpanContext?.spanId).toBe(sendAnswer.spanContext().spanId);
    expect(processAsk.links.map((l) => l.context.spanId)).toEqual([sendAsk.spanContext().spanId]);

    expect(sendAsk.kind).toBe(SpanKind.PRODUCER);
    expect(sendAsk.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'asks',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
    });
    expect(sendAsk.attributes['messaging.message.id']).toMatch(/^front-Ask-a1-v1-/);
    expect(processAsk.kind).toBe(SpanKind.CONSUMER);
    expect(processAsk.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'asks',
      'messaging.destination.partition.id': String(
        sendAsk.attributes['messaging.kafka.destination.partition'],
      ),
      'messaging.kafka.offset': 0,
      'messaging.message.id': sendAsk.attributes['messaging.message.id'],
      'messaging.consumer.group.name': 'middle',
      'messaging.operation.type': 'process',
    });
  });

  it('starts a trace per record linked to the producer span by default', async () => {
    tracing = registerTestTracing();
    const started = await start();
    await post({ id: 'a2' });
    await waitFor(() => started.service(Back).seen.includes('a2'), 'the answer');
    await waitFor(() => named('process answers').length === 1, 'the last span');
    const sendAsk = one('send asks');
    const processAsk = one('process asks');
    expect(processAsk.spanContext().traceId).not.toBe(sendAsk.spanContext().traceId);
    expect(processAsk.parentSpanContext).toBeUndefined();
    expect(processAsk.links.map((l) => l.context)).toEqual([
      expect.objectContaining({ spanId: sendAsk.spanContext().spanId }),
    ]);
  });

  it('records retries and the dead letter as events with the error, and marks the span failed', async () => {
    tracing = registerTestTracing();
    await start('child');
    await post({ id: 'bad', fail: true });
    await waitFor(() => named('process asks').length === 1, 'the failed record span');
    const processAsk = one('process asks');
    expect(processAsk.events.map((e) => e.name)).toEqual([
      'exception',
      'retry',
      'dead-letter',
      'exception',
    ]);
    expect(processAsk.events[2].attributes).toMatchObject({
      'streamwise.dead_letter.reason': 'handler-failed',
      'streamwise.attempts': 2,
    });
    expect(processAsk.events[3].attributes?.['exception.message']).toBe('cannot answer bad');
    expect(processAsk.status).toEqual({ code: SpanStatusCode.ERROR, message: 'cannot answer bad' });
  });

  it('writes no trace headers and makes no spans without a registered provider', async () => {
    const started = await start('child');
    await post({ id: 'a3' });
    await waitFor(() => started.service(Back).seen.includes('a3'), 'the answer');
    const headers = broker
      .requireTopic('asks')
      .partitions.flatMap((p) => p.records())
      .flatMap((r) => Object.keys(r.headers ?? {}));
    expect(headers).toContain('sw-envelope');
    expect(headers.filter((h) => h.startsWith('trace'))).toEqual([]);
  });

  it('gives a tombstone its send span and writes its traceparent, as any publish', async () => {
    tracing = registerTestTracing();
    broker = new MemoryBroker();
    app = await StreamwiseApp.create({
      services: [StockOwner],
      transport: new MemoryTransport({ broker }),
      logger: new SilentLogger(),
      http: false,
    }).start();
    await app.service(StockOwner).remove('gone');
    const send = one('send inventory');
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.attributes['messaging.message.id']).toMatch(
      /^stock-owner-Stock-gone-v1-.*-tombstone$/,
    );
    const [record] = broker.requireTopic('inventory').partitions.flatMap((p) => p.records());
    expect(record.value).toBeNull();
    expect(send.attributes['messaging.kafka.destination.partition']).toBe(record.partition);
    const context = send.spanContext();
    expect(record.headers?.traceparent).toBe(`00-${context.traceId}-${context.spanId}-01`);
  });

  it('writes the W3C traceparent of the send span into the record', async () => {
    tracing = registerTestTracing();
    const started = await start();
    await post({ id: 'a4' });
    await waitFor(() => started.service(Back).seen.includes('a4'), 'the answer');
    const send = one('send asks').spanContext();
    const [record] = broker.requireTopic('asks').partitions.flatMap((p) => p.records());
    expect(record.headers?.traceparent).toBe(`00-${send.traceId}-${send.spanId}-01`);
  });
});

describe('metrics through @opentelemetry/api', () => {
  let meters: TestMetrics | undefined;
  let app: StreamwiseApp | undefined;
  afterEach(async () => {
    await app?.stop();
    await meters?.stop();
  });

  it('counts what a known workload did: handled, retried, dead-lettered, published, requests', async () => {
    meters = registerTestMetrics();
    const broker = new MemoryBroker();
    const started = await StreamwiseApp.create({
      services: [Front, Middle, Back],
      transport: new MemoryTransport({ broker }),
      logger: new SilentLogger(),
    }).start();
    app = started;
    const post = (ask: Ask): Promise<Response> =>
      fetch(`${started.httpUrl as string}/asks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ask),
      });
    for (const id of ['m1', 'm2', 'm3']) expect((await post({ id })).status).toBe(200);
    expect((await post({ id: 'm4', fail: true })).status).toBe(200);
    await waitFor(() => started.service(Back).seen.length === 3, 'three answers');
    await broker.settled();

    const asks = {
      'messaging.destination.name': 'asks',
      'messaging.consumer.group.name': 'middle',
    };
    const value = (name: string, attributes: Record<string, unknown>): Promise<number> =>
      (meters as TestMetrics).value(name, attributes);
    expect(await value('messaging.client.consumed.messages', asks)).toBe(4);
    expect(await value('messaging.process.duration', asks)).toBe(4);
    expect(await value('streamwise.retries', asks)).toBe(1);
    expect(
      await value('streamwise.dead_letters', {
        ...asks,
        'streamwise.dead_letter.reason': 'handler-failed',
      }),
    ).toBe(1);
    expect(
      await value('messaging.client.consumed.messages', {
        'messaging.destination.name': 'answers',
        'messaging.consumer.group.name': 'back',
      }),
    ).toBe(3);
    expect(await value('messaging.client.sent.messages', { 'streamwise.service': 'front' })).toBe(
      4,
    );
    expect(await value('messaging.client.sent.messages', { 'streamwise.service': 'middle' })).toBe(
      3,
    );
    expect(
      await value('http.server.request.duration', {
        'http.route': '/asks',
        'http.request.method': 'POST',
        'http.response.status_code': 200,
      }),
    ).toBe(4);
  });

  it('records restore progress as gauges and still calls the app listener', async () => {
    meters = registerTestMetrics();
    const broker = new MemoryBroker();
    const owner = await StreamwiseApp.create({
      services: [StockOwner],
      transport: new MemoryTransport({ broker }),
      logger: new SilentLogger(),
      http: false,
    }).start();
    for (const product of ['a', 'b', 'c', 'd', 'e']) {
      await owner.service(StockOwner).set({ product, quantity: 1 });
    }
    await owner.stop();
    const reports: RestoreProgress[] = [];
    app = await StreamwiseApp.create({
      services: [StockReader],
      transport: new MemoryTransport({ broker }),
      logger: new SilentLogger(),
      http: false,
      owners: { inventory: 'stock-owner' },
      onRestoreProgress: (progress) => reports.push(progress),
    }).start();

    const view = { 'streamwise.restore.name': 'stock-reader.stock' };
    expect(reports.at(-1)).toMatchObject({ name: 'stock-reader.stock', done: 5, finished: true });
    expect(await lastValue(meters, 'streamwise.restore.records_restored', view)).toBe(5);
    expect(await lastValue(meters, 'streamwise.restore.records_remaining', view)).toBe(0);
  });
});

async function lastValue(
  meters: TestMetrics,
  name: string,
  attributes: Record<string, unknown>,
): Promise<number | undefined> {
  const metric = (await meters.collect()).find((m) => m.descriptor.name === name);
  const point = metric?.dataPoints.find((p) =>
    Object.entries(attributes).every(([k, v]) => p.attributes[k] === v),
  );
  return typeof point?.value === 'number' ? point.value : undefined;
}

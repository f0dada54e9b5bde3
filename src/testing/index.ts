/**
 * 'streamwise/testing': what a test of a service needs, and nothing a production app should.
 *
 * - TestBed and its views: services on an in-memory broker with a manual clock.
 * - ManualClock, MemoryBroker, MemoryTransport: for tests and demos that build their own apps,
 *   e.g. several apps (processes) sharing one in-process broker, or a tap on it; MemoryBroker's
 *   `settled()` waits until every record written has been handled.
 * - InMemorySchemaRegistry: a registry without a server (TestBed uses one by default).
 * - WindowedAggregator: the engine behind @Windowed as a plain object, to check window rules as
 *   pure functions (see examples/orders/orders-rules.spec.ts).
 * - buildEnvelope: a record exactly as publish() writes it, to drive a Transport directly
 *   (tests of a custom transport, benchmarks of the raw produce path).
 */
export { ManualClock } from '../clock/manual-clock';
export type { Envelope, EnvelopeOptions } from '../codec/envelope';
export { buildEnvelope } from '../codec/envelope';
export { InMemorySchemaRegistry } from '../codec/registry/in-memory-schema-registry';
export { DrainDidNotSettleError } from '../errors/drain-did-not-settle-error';
export type { WindowedAggregatorOptions } from '../model/windows/windowed-aggregator-options';
export { WindowedAggregator } from '../state/windows/windowed-aggregator';
export { MemoryBroker } from '../transport/memory/memory-broker';
export type { MemoryTransportOptions } from '../transport/memory/memory-transport';
export { MemoryTransport } from '../transport/memory/memory-transport';
export type { InjectRequest, InjectResponse } from './http-injection';
export type { RawRecord } from './raw-record';
export { TestBed } from './test-bed';
export type { TestBedOptions } from './test-bed-options';
export type { TopicRecord } from './topic-record';
export { TopicView } from './topic-view';

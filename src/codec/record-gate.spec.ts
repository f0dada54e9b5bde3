import { ErrorCodes } from '../errors/error-codes';
import type { Logger } from '../logging/logger';
import { SilentLogger } from '../logging/silent-logger';
import { partitionForKey } from '../transport/partitioner';
import type { DeliveredRecord } from '../transport/transport';
import { defineTopic } from './define-topic';
import type { RecordGateOptions } from './record-gate';
import { RecordGate } from './record-gate';

interface Order {
  id: string;
}
const Orders = defineTopic<Order>({
  name: 'orders',
  entity: 'Order',
  key: (o) => o.id,
  partitions: 8,
  owner: 'orders-service',
});
const Single = defineTopic<Order>({ name: 'single', entity: 'Order', key: (o) => o.id });

function record(key: string | null, overrides: Partial<DeliveredRecord> = {}): DeliveredRecord {
  const bytes = key === null ? null : Buffer.from(key);
  return {
    topic: 'orders',
    partition: bytes === null ? 0 : partitionForKey(bytes, 8),
    offset: 5,
    key: bytes,
    value: Buffer.from('{}'),
    headers: { 'sw-producer': 'orders-service' },
    timestamp: 0,
    ...overrides,
  };
}

function gate(options: Partial<RecordGateOptions> = {}): RecordGate {
  const logger: Logger = new SilentLogger();
  return new RecordGate({
    ownerOf: (topic) => (topic === 'orders' ? 'orders-service' : undefined),
    logger,
    ...options,
  });
}

describe('RecordGate.check', () => {
  it("passes a record by the topic's owner whose key hashes to its partition", () => {
    expect(gate().check(Orders, record('o-1'))).toBeUndefined();
  });

  it('rejects a record by another producer as foreign-producer, unless the service only warns', () => {
    const forged = record('o-1', { headers: { 'sw-producer': 'rogue-service' } });
    const rejection = gate().check(Orders, forged);
    expect(rejection?.reason).toBe('foreign-producer');
    expect(rejection?.error.code).toBe(ErrorCodes.FOREIGN_PRODUCER);
    expect(gate({ onForeignProducer: 'warn' }).check(Orders, forged)).toBeUndefined();
  });

  it('passes any producer on a topic with no known owner', () => {
    const other = record('o-1', { headers: { 'sw-producer': 'anyone' } });
    expect(gate({ ownerOf: () => undefined }).check(Orders, other)).toBeUndefined();
  });

  it("applies the unsigned-record policy: the topic's own, else the app's, else accept", () => {
    const unsigned = record('o-1', { headers: {} });
    expect(gate().check(Orders, unsigned)).toBeUndefined();
    expect(gate({ unsignedRecords: 'warn' }).check(Orders, unsigned)).toBeUndefined();
    const rejection = gate({ unsignedRecords: 'dead-letter' }).check(Orders, unsigned);
    expect(rejection?.reason).toBe('unsigned-record');
    expect(rejection?.error.code).toBe(ErrorCodes.UNSIGNED_RECORD);
    const strict = defineTopic<Order>({
      name: 'orders',
      entity: 'Order',
      key: (o) => o.id,
      partitions: 8,
      unsignedRecords: 'dead-letter',
    });
    expect(gate().check(strict, unsigned)?.reason).toBe('unsigned-record');
    const lenient = defineTopic<Order>({
      name: 'orders',
      entity: 'Order',
      key: (o) => o.id,
      partitions: 8,
      unsignedRecords: 'accept',
    });
    expect(gate({ unsignedRecords: 'dead-letter' }).check(lenient, unsigned)).toBeUndefined();
  });

  it('rejects a key that does not hash (murmur2) to the record partition as key-mismatch', () => {
    const right = partitionForKey(Buffer.from('o-1'), 8);
    const rejection = gate().check(Orders, record('o-1', { partition: (right + 1) % 8 }));
    expect(rejection?.reason).toBe('key-mismatch');
    expect(rejection?.error.code).toBe(ErrorCodes.KEY_MISMATCH);
    expect(rejection?.error.message).toContain(`hashes to partition ${right} of 8 (murmur2)`);
    expect(rejection?.error.message).toContain('partitioner=murmur2_random');
  });

  it('rejects a null or empty key, also on a one-partition topic', () => {
    expect(gate().check(Orders, record(null))?.reason).toBe('key-mismatch');
    expect(gate().check(Orders, record(''))?.reason).toBe('key-mismatch');
    expect(gate().check(Single, record(null, { topic: 'single' }))?.reason).toBe('key-mismatch');
    expect(gate().check(Single, record('x', { topic: 'single', partition: 0 }))).toBeUndefined();
  });
});

describe('RecordGate.checkKey', () => {
  it("rejects a key other than the one the topic's key function gives for the value", () => {
    expect(gate().checkKey(Orders, record('o-1'), 'o-1', { id: 'o-1' })).toBeUndefined();
    const rejection = gate().checkKey(Orders, record('o-1'), 'o-1', { id: 'o-2' });
    expect(rejection?.reason).toBe('key-mismatch');
    expect(rejection?.error.message).toContain('"o-1" is not the key');
  });

  it('rejects when the key function cannot read the value', () => {
    const Throwing = defineTopic<Order>({
      name: 'orders',
      entity: 'Order',
      key: () => {
        throw new Error('no id');
      },
    });
    expect(gate().checkKey(Throwing, record('o-1'), 'o-1', {})?.reason).toBe('key-mismatch');
  });
});

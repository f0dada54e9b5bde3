import { DuplicateTopicOwnerError } from '../errors/duplicate-topic-owner-error';
import { ErrorCodes } from '../errors/error-codes';
import { SingleWriterViolationError } from '../errors/single-writer-violation-error';
import { TopicOwnerMismatchError } from '../errors/topic-owner-mismatch-error';
import { TopicWriters } from './topic-writers';

function service(name: string, ...topics: string[]): { name: string; owns: { name: string }[] } {
  return { name, owns: topics.map((t) => ({ name: t })) };
}

function thrown<E extends Error>(type: new (...args: never[]) => E, act: () => unknown): E {
  try {
    act();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected ${type.name}`);
}

describe('TopicWriters.build', () => {
  it('maps each owned topic to its service', () => {
    const registry = TopicWriters.build([
      service('orders-service', 'orders', 'order-events'),
      service('billing-service', 'receipts'),
    ]);
    expect(registry.ownerOf('orders')).toBe('orders-service');
    expect(registry.ownerOf('order-events')).toBe('orders-service');
    expect(registry.ownerOf('receipts')).toBe('billing-service');
    expect(registry.ownerOf('unknown')).toBeUndefined();
  });

  it('rejects two services claiming one topic, naming the topic and both services', () => {
    const error = thrown(DuplicateTopicOwnerError, () =>
      TopicWriters.build([
        service('orders-service', 'orders'),
        service('billing-service', 'receipts'),
        service('legacy-service', 'orders'),
      ]),
    );
    expect(error.code).toBe(ErrorCodes.DUPLICATE_TOPIC_OWNER);
    expect(error.topic).toBe('orders');
    expect(error.owners).toEqual(['orders-service', 'legacy-service']);
    expect(error.message).toContain(
      'Topic "orders" is claimed by "orders-service" and "legacy-service"',
    );
    expect(error.message).toContain('single writer');
  });

  it('rejects an in-app service claiming a topic with an external owner', () => {
    const error = thrown(DuplicateTopicOwnerError, () =>
      TopicWriters.build([service('orders-service', 'payments')], {
        payments: 'payments-gateway',
      }),
    );
    expect(error.topic).toBe('payments');
    expect(error.owners).toEqual(['payments-gateway', 'orders-service']);
    expect(error.message).toContain('"payments-gateway" and "orders-service"');
  });

  it('accepts an external owner entry that names the same in-app service', () => {
    const registry = TopicWriters.build([service('orders-service', 'orders')], {
      orders: 'orders-service',
    });
    expect(registry.ownerOf('orders')).toBe('orders-service');
  });

  it('records external owners for topics no in-app service owns', () => {
    const registry = TopicWriters.build([service('billing-service', 'receipts')], {
      payments: 'payments-gateway',
    });
    expect(registry.ownerOf('payments')).toBe('payments-gateway');
  });

  it('does not treat one service listing a topic twice as a conflict', () => {
    const registry = TopicWriters.build([service('orders-service', 'orders', 'orders')]);
    expect(registry.ownerOf('orders')).toBe('orders-service');
    expect(registry.entries()).toEqual([['orders', 'orders-service']]);
  });

  it('lists entries sorted by topic', () => {
    const registry = TopicWriters.build(
      [service('b-service', 'zeta', 'alpha'), service('a-service', 'mid')],
      { beta: 'external' },
    );
    expect(registry.entries()).toEqual([
      ['alpha', 'b-service'],
      ['beta', 'external'],
      ['mid', 'a-service'],
      ['zeta', 'b-service'],
    ]);
  });

  it('builds an empty registry from nothing', () => {
    expect(TopicWriters.build([]).entries()).toEqual([]);
  });
});

describe('TopicWriters.build with owners in topic definitions', () => {
  const orders = { name: 'orders', owner: 'orders-service' };

  it("knows the owner of a topic the app only reads, from the topic's definition", () => {
    const registry = TopicWriters.build([{ name: 'email-service', owns: [], consumes: [orders] }]);
    expect(registry.ownerOf('orders')).toBe('orders-service');
  });

  it('accepts @OwnsTopic by the service the definition names', () => {
    const registry = TopicWriters.build([{ name: 'orders-service', owns: [orders] }]);
    expect(registry.ownerOf('orders')).toBe('orders-service');
  });

  it('rejects @OwnsTopic by another service, naming both', () => {
    const error = thrown(TopicOwnerMismatchError, () =>
      TopicWriters.build([{ name: 'rogue-service', owns: [orders] }]),
    );
    expect(error.code).toBe(ErrorCodes.TOPIC_OWNER_MISMATCH);
    expect(error.definedOwner).toBe('orders-service');
    expect(error.claimant).toBe('rogue-service');
    expect(error.message).toContain(
      'Topic "orders" is defined with owner "orders-service", but "rogue-service" declares @OwnsTopic(orders)',
    );
  });

  it('lets the owners option override the owner a definition names', () => {
    const registry = TopicWriters.build([{ name: 'email-service', owns: [], consumes: [orders] }], {
      orders: 'orders-v2-service',
    });
    expect(registry.ownerOf('orders')).toBe('orders-v2-service');
  });
});

describe('TopicWriters.assertCanWrite', () => {
  const registry = TopicWriters.build([
    service('orders-service', 'orders'),
    service('billing-service', 'receipts'),
  ]);

  it('lets the owner write', () => {
    expect(() => registry.assertCanWrite('orders-service', 'orders')).not.toThrow();
  });

  it('stops another service, naming the topic, the owner and the fix', () => {
    const error = thrown(SingleWriterViolationError, () =>
      registry.assertCanWrite('billing-service', 'orders'),
    );
    expect(error.code).toBe(ErrorCodes.SINGLE_WRITER_VIOLATION);
    expect(error.topic).toBe('orders');
    expect(error.service).toBe('billing-service');
    expect(error.owner).toBe('orders-service');
    expect(error.message).toContain('Service "billing-service" may not publish to topic "orders"');
    expect(error.message).toContain('its single writer is "orders-service"');
    expect(error.message).toContain('Nothing was sent.');
    expect(error.message).toContain('Call "orders-service"');
  });

  it('stops a write to a topic nobody owns, suggesting @OwnsTopic', () => {
    const error = thrown(SingleWriterViolationError, () =>
      registry.assertCanWrite('billing-service', 'refunds'),
    );
    expect(error.topic).toBe('refunds');
    expect(error.service).toBe('billing-service');
    expect(error.owner).toBeUndefined();
    expect(error.message).toContain('no service in this app owns it');
    expect(error.message).toContain('@OwnsTopic(refunds)');
    expect(error.message).toContain('add the topic to its @OwnsTopic');
  });
});

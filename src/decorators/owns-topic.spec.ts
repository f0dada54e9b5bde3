import { misuse } from '../../test/support/misuse';
import { defineTopic } from '../codec/define-topic';
import type { TopicDefinition } from '../model/topics/topic-definition';
import { OwnsTopic } from './owns-topic';
import { readOwnedTopics } from './read-owned-topics';

const Orders = defineTopic<{ id: string }>({ name: 'orders', entity: 'Order', key: (o) => o.id });
const Receipts = defineTopic<{ id: string }>({
  name: 'receipts',
  entity: 'Receipt',
  key: (r) => r.id,
});
const Refunds = defineTopic<{ id: string }>({
  name: 'refunds',
  entity: 'Refund',
  key: (r) => r.id,
});

describe('@OwnsTopic misuse', () => {
  it('rejects an empty topic list, naming the class', () => {
    const error = misuse(() => {
      @OwnsTopic()
      class Billing {}
      return Billing;
    });
    expect(error.className).toBe('Billing');
    expect(error.member).toBeUndefined();
    expect(error.message).toBe(
      '@OwnsTopic on Billing: names no topic; pass the topics this service writes.',
    );
  });

  it('rejects a non-topic and says which argument it is', () => {
    const error = misuse(() => {
      @OwnsTopic(Orders, undefined as unknown as TopicDefinition)
      class Billing {}
      return Billing;
    });
    expect(error.className).toBe('Billing');
    expect(error.member).toBeUndefined();
    expect(error.message).toMatch(
      /^@OwnsTopic on Billing: argument 2 is not a topic made by defineTopic\(\)/,
    );
  });

  it('rejects a plain object shaped like a topic', () => {
    const error = misuse(() => {
      @OwnsTopic({ name: 'orders' } as unknown as TopicDefinition)
      class Billing {}
      return Billing;
    });
    expect(error.message).toContain('argument 1 is not a topic');
  });

  it('rejects the same topic named twice', () => {
    const error = misuse(() => {
      @OwnsTopic(Orders, Receipts, Orders)
      class Billing {}
      return Billing;
    });
    expect(error.className).toBe('Billing');
    expect(error.message).toBe('@OwnsTopic on Billing: names "orders" twice.');
  });

  it('rejects two definitions that share a topic name', () => {
    const OrdersAgain = defineTopic<{ id: string }>({
      name: 'orders',
      entity: 'Order',
      key: (o) => o.id,
    });
    const error = misuse(() => {
      @OwnsTopic(Orders, OrdersAgain)
      class Billing {}
      return Billing;
    });
    expect(error.message).toContain('names "orders" twice');
  });
});

describe('@OwnsTopic metadata', () => {
  it('records the owned topics in order', () => {
    @OwnsTopic(Receipts, Orders)
    class Billing {}
    const owned = readOwnedTopics(Billing);
    expect(owned).toHaveLength(2);
    expect(owned[0]).toBe(Receipts);
    expect(owned[1]).toBe(Orders);
  });

  it('an undecorated class owns nothing', () => {
    class Plain {}
    expect(readOwnedTopics(Plain)).toEqual([]);
  });

  it('a subclass adds to the parent topics without changing the parent', () => {
    @OwnsTopic(Orders)
    class Parent {}
    @OwnsTopic(Refunds, Orders)
    class Child extends Parent {}
    expect(readOwnedTopics(Child).map((t) => t.name)).toEqual(['refunds', 'orders']);
    expect(readOwnedTopics(Parent).map((t) => t.name)).toEqual(['orders']);
  });
});

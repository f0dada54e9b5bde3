import { session } from '../../src';
import { WindowedAggregator } from '../../src/testing';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2025, 0, 1, 9);

interface Order {
  readonly id: string;
  readonly customerId: number;
  readonly quantity: number;
  readonly price: number;
}

/**
 * The fraud rule (README.md, "Fraud service"): per customer, the running total of
 * quantity × price over CREATED orders in a session window with a 1-hour inactivity gap, the current order included;
 * total >= 2000 → FAIL, otherwise PASS; one result per order, in order.
 */
function fraudCheck() {
  const totals = new WindowedAggregator<number, Order, number>({
    window: session(HOUR),
    initial: () => 0,
    aggregate: (total, order) => total + order.quantity * order.price,
    merge: (a, b) => a + b,
    emit: 'update',
    name: 'fraud-totals',
  });
  return (order: Order, at: number): [string, number, 'PASS' | 'FAIL'] => {
    const { results, late } = totals.add(order.customerId, order, at);
    if (late) throw new Error(`order ${order.id} is late`);
    const [session] = results; // exactly one: the session the order is now part of
    return [order.id, session.aggregate, session.aggregate >= 2000 ? 'FAIL' : 'PASS'];
  };
}

describe('the orders rules on windows', () => {
  it('fraud: sums a customer’s orders over a 1-hour session and fails at 2000', () => {
    const check = fraudCheck();
    const order = (id: string, customerId: number, quantity: number, price: number): Order => ({
      id,
      customerId,
      quantity,
      price,
    });
    expect([
      check(order('o1', 1, 10, 100), T0),
      check(order('o2', 2, 15, 100), T0 + 30 * MINUTE), // another customer: its own session
      check(order('o3', 1, 9, 100), T0 + 59 * MINUTE),
      check(order('o4', 1, 1, 100), T0 + 119 * MINUTE), // exactly an hour after o3: same session
      check(order('o5', 1, 1, 100), T0 + 119 * MINUTE + 10),
      check(order('o6', 1, 5, 100), T0 + 179 * MINUTE + 11), // an hour and 1 ms idle: new session
      check(order('o7', 2, 1, 499), T0 + 179 * MINUTE + 12), // customer 2's session ended long ago
    ]).toEqual([
      ['o1', 1000, 'PASS'],
      ['o2', 1500, 'PASS'],
      ['o3', 1900, 'PASS'],
      ['o4', 2000, 'FAIL'],
      ['o5', 2100, 'FAIL'],
      ['o6', 500, 'PASS'],
      ['o7', 499, 'PASS'],
    ]);
  });

  it('fraud: an out-of-order order that bridges two sessions is checked against their sum', () => {
    const totals = new WindowedAggregator<number, number, number>({
      window: session(HOUR, { graceMs: HOUR }),
      initial: () => 0,
      aggregate: (total, amount) => total + amount,
      merge: (a, b) => a + b,
      emit: 'update',
    });
    totals.add(1, 800, T0);
    totals.add(1, 900, T0 + 100 * MINUTE); // 100 minutes idle: a second session
    const { results } = totals.add(1, 400, T0 + 50 * MINUTE); // within an hour of both
    expect(results).toEqual([
      {
        key: 1,
        window: { start: T0, end: T0 + 100 * MINUTE },
        aggregate: 2100,
        replaced: [
          { start: T0, end: T0 },
          { start: T0 + 100 * MINUTE, end: T0 + 100 * MINUTE },
        ],
        final: false,
      },
    ]);
  });

  it('validations: three PASS results (one per check type) in a 5-minute session validate an order', () => {
    // As Confluent's reference implementation: a session window with a 5-minute gap per order id.
    const passes = new WindowedAggregator<string, string, string[]>({
      window: session(5 * MINUTE),
      initial: () => [],
      aggregate: (checks, check) => (checks.includes(check) ? checks : [...checks, check].sort()),
      merge: (a, b) => [...new Set([...a, ...b])].sort(),
      emit: 'update',
    });
    const validated = (orderId: string, check: string, at: number): boolean =>
      passes.add(orderId, check, at).results.some((r) => r.aggregate.length === 3);
    expect(validated('o1', 'INVENTORY_CHECK', T0)).toBe(false);
    expect(validated('o1', 'FRAUD_CHECK', T0 + 2 * MINUTE)).toBe(false);
    expect(validated('o1', 'FRAUD_CHECK', T0 + 3 * MINUTE)).toBe(false); // a repeat counts once
    expect(validated('o1', 'ORDER_DETAILS_CHECK', T0 + 4 * MINUTE)).toBe(true);
    expect(validated('o2', 'INVENTORY_CHECK', T0 + 5 * MINUTE)).toBe(false);
    expect(validated('o2', 'FRAUD_CHECK', T0 + 6 * MINUTE)).toBe(false);
    // More than 5 minutes after the previous result: a new session, the old passes do not count.
    expect(validated('o2', 'ORDER_DETAILS_CHECK', T0 + 11 * MINUTE + 1)).toBe(false);
  });
});

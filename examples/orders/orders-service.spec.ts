import { TestBed } from '../../src/testing';
import type { CheckType, ValidationResult } from './domain';
import { OrdersService, VALIDATION_GAP_MS } from './orders-service';
import { newOrder } from './test-support';
import { DetailsValidations, FraudValidations, InventoryValidations, Orders } from './topics';

const TOPIC = {
  INVENTORY_CHECK: InventoryValidations,
  FRAUD_CHECK: FraudValidations,
  ORDER_DETAILS_CHECK: DetailsValidations,
} as const;

describe('orders service: the validations aggregator', () => {
  let bed: TestBed;
  beforeEach(async () => {
    bed = await TestBed.start([OrdersService]);
  });
  afterEach(() => bed.stop());

  const result = (orderId: string, check: CheckType, r: ValidationResult, timestamp?: number) =>
    bed.send(
      TOPIC[check],
      { orderId, checkType: check, validationResult: r },
      timestamp === undefined ? {} : { timestamp },
    );
  const states = (id: string) =>
    bed
      .topic(Orders)
      .values()
      .filter((o) => o.id === id)
      .map((o) => o.state);

  it('validates on three PASSes, one per check type; a repeat or an ERROR does not count', async () => {
    const posted = await bed.inject({ method: 'POST', url: '/v1/orders', payload: newOrder('o1') });
    expect(posted.status).toBe(201);
    expect(posted.headers.location).toBe('/v1/orders/o1');
    await bed.drain();
    // A long poll: answered once the order is decided.
    const validated = bed.inject('GET /v1/orders/o1/validated');
    await result('o1', 'INVENTORY_CHECK', 'PASS');
    await result('o1', 'INVENTORY_CHECK', 'PASS');
    await result('o1', 'FRAUD_CHECK', 'ERROR');
    await result('o1', 'FRAUD_CHECK', 'PASS');
    await bed.drain();
    expect(states('o1')).toEqual(['CREATED']);
    await result('o1', 'ORDER_DETAILS_CHECK', 'PASS');
    await bed.drain();
    expect(states('o1')).toEqual(['CREATED', 'VALIDATED']);
    const answer = await validated;
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ id: 'o1', state: 'VALIDATED' });
  });

  it('refuses over HTTP an order that is not CREATED', async () => {
    const order = { ...newOrder('o9'), state: 'VALIDATED' };
    const refused = await bed.inject({ method: 'POST', url: '/v1/orders', payload: order });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('whose state is CREATED');
    await bed.drain();
    expect(states('o9')).toEqual([]);
  });

  it('fails once however many checks fail, and nothing follows a verdict', async () => {
    await bed.send(Orders, newOrder('o2'));
    await bed.drain();
    for (const check of ['FRAUD_CHECK', 'INVENTORY_CHECK', 'ORDER_DETAILS_CHECK'] as const)
      await result('o2', check, 'FAIL');
    await result('o2', 'FRAUD_CHECK', 'PASS');
    await bed.drain();
    expect(states('o2')).toEqual(['CREATED', 'FAILED']);
  });

  it('does not validate when the passes are more than 5 minutes apart', async () => {
    const t0 = bed.clock.now();
    await bed.send(Orders, newOrder('o3'), { timestamp: t0 });
    await result('o3', 'INVENTORY_CHECK', 'PASS', t0);
    await result('o3', 'FRAUD_CHECK', 'PASS', t0 + 60_000);
    await result('o3', 'ORDER_DETAILS_CHECK', 'PASS', t0 + 60_000 + VALIDATION_GAP_MS + 1);
    await bed.drain();
    expect(states('o3')).toEqual(['CREATED']);
  });

  it('publishes a verdict reached before it saw the order once the order arrives', async () => {
    await result('o4', 'FRAUD_CHECK', 'FAIL');
    await bed.drain();
    await bed.send(Orders, newOrder('o4'));
    await bed.drain();
    expect(states('o4')).toEqual(['CREATED', 'FAILED']);
  });
});

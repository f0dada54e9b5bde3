import { MAX_KEY_BYTES } from '../../src';
import { TestBed } from '../../src/testing';
import type { Order } from './domain';
import type { Email } from './emailer';
import { ordersContainer } from './emailer';
import { ORDER_SERVICES, Orders, WarehouseService } from './services';
import { newOrder, until } from './test-support';

describe('the orders system end to end, over HTTP', () => {
  let bed: TestBed;
  let url: string;
  const emails: Email[] = [];

  beforeEach(async () => {
    const container = ordersContainer({ send: (e) => Promise.resolve(void emails.push(e)) });
    bed = await TestBed.start(ORDER_SERVICES, { container });
    url = bed.app.httpUrl as string;
    const warehouse = bed.service(WarehouseService);
    await warehouse.setStock({ product: 'JUMPERS', quantity: 10 });
    await warehouse.setStock({ product: 'UNDERPANTS', quantity: 5 });
    await bed.drain(); // no STOCKINGS record on purpose
  });
  afterEach(() => bed.stop());

  async function post(order: Order): Promise<Response> {
    return fetch(`${url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(order),
    });
  }
  async function stateOf(id: string): Promise<string> {
    const answer = await fetch(`${url}/v1/orders/${id}/validated`);
    expect(answer.status).toBe(200);
    return ((await answer.json()) as Order).state;
  }

  it('answers 400 to a quantity of 1e400 (Infinity) and writes nothing', async () => {
    const text = JSON.stringify(newOrder('huge', { quantity: 2, price: 25 })).replace(
      '"quantity":2',
      '"quantity":1e400',
    );
    const posted = await fetch(`${url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    });
    expect(posted.status).toBe(400);
    expect(((await posted.json()) as { error: { message: string } }).error.message).toContain(
      '/quantity',
    );
    await bed.drain();
    expect(
      bed
        .topic(Orders)
        .values()
        .filter((o) => o.id === 'huge'),
    ).toEqual([]);
  });

  it('answers 201 with the location and event id, then serves the order from the view', async () => {
    const posted = await post(newOrder('o1', { quantity: 2, price: 25 }));
    expect(posted.status).toBe(201);
    expect(posted.headers.get('location')).toBe('/v1/orders/o1');
    expect(await posted.json()).toEqual({ eventId: 'orders-service-Order-o1-v1' });
    await bed.drain();
    const read = await fetch(`${url}/v1/orders/o1`);
    expect(await read.json()).toEqual(expect.objectContaining({ id: 'o1' }));
    expect(await stateOf('o1')).toBe('VALIDATED');
    expect(
      bed
        .topic(Orders)
        .records()
        .map((r) => r.envelope?.eventId),
    ).toEqual(['orders-service-Order-o1-v1', 'orders-service-Order-o1-v2']);
  });

  it.each([
    ['../x?y#z', '/v1/orders/..%2Fx%3Fy%23z'],
    ['ünï ✓', '/v1/orders/%C3%BCn%C3%AF%20%E2%9C%93'],
    ['cr\r\nlf', '/v1/orders/cr%0D%0Alf'],
  ])('answers 201 for id %j with a Location pointing at it, where GET finds it', async (id, at) => {
    const posted = await post(newOrder(id));
    expect(posted.status).toBe(201);
    expect(posted.headers.get('location')).toBe(at);
    await bed.drain();
    const read = await fetch(`${url}${at}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as Order).id).toBe(id);
  });

  it('answers 400 to an id above MAX_KEY_BYTES and writes nothing', async () => {
    const id = 'x'.repeat(MAX_KEY_BYTES + 1);
    const posted = await post(newOrder(id));
    expect(posted.status).toBe(400);
    expect(((await posted.json()) as { error: { code: string } }).error.code).toBe(
      'SW_KEY_TOO_LARGE',
    );
    await bed.drain();
    expect(
      bed
        .topic(Orders)
        .values()
        .filter((o) => o.id === id),
    ).toEqual([]);
  });

  it('applies every business rule of the README with concrete numbers', async () => {
    await post(newOrder('small', { quantity: 2, price: 25 })); // 50: every check passes
    await bed.drain();
    await post(newOrder('zero', { quantity: 0, price: 0 })); // zero passes the details check
    await bed.drain();
    await post(newOrder('big', { customerId: 2, quantity: 4, price: 500 })); // 2000: fraud FAIL
    await bed.drain();
    // Details FAIL; on UNDERPANTS, whose -1 the inventory check "reserves" as the rule says.
    await post(newOrder('bad', { customerId: 3, product: 'UNDERPANTS', quantity: -1, price: -5 }));
    await bed.drain();
    // JUMPERS: 10 in stock, 2 + 4 reserved (big failed, but reservations are never released).
    await post(newOrder('over', { customerId: 4, quantity: 5 })); // 6 + 5 > 10: inventory FAIL
    await bed.drain();
    await post(newOrder('fits', { customerId: 5, quantity: 4 })); // 6 + 4 = 10: PASS
    await bed.drain();

    expect(await stateOf('small')).toBe('VALIDATED');
    expect(await stateOf('zero')).toBe('VALIDATED');
    expect(await stateOf('big')).toBe('FAILED');
    expect(await stateOf('bad')).toBe('FAILED');
    expect(await stateOf('over')).toBe('FAILED');
    expect(await stateOf('fits')).toBe('VALIDATED');
    // One FAILED event per failed order, however many of its checks failed.
    const states = bed.topic(Orders).values();
    expect(states.filter((o) => o.id === 'bad')).toHaveLength(2);
    expect(states).toHaveLength(12);
  });

  it('leaves an order without an inventory record CREATED: /validated times out with 504', async () => {
    await post(newOrder('socks', { product: 'STOCKINGS' }));
    await bed.drain();
    expect(((await (await fetch(`${url}/v1/orders/socks`)).json()) as Order).state).toBe('CREATED');
    const waiting = fetch(`${url}/v1/orders/socks/validated?timeout=1000`);
    await until(() => bed.clock.pendingTimers > 0, 'the long poll to start');
    bed.clock.advance(1_000);
    expect((await waiting).status).toBe(504);
  });

  it('long-polls GET /v1/orders/{id} until the order appears', async () => {
    const waiting = fetch(`${url}/v1/orders/late?timeout=60000`);
    await until(() => bed.clock.pendingTimers > 0, 'the long poll to start');
    await post(newOrder('late'));
    await bed.drain();
    expect((await waiting).status).toBe(200);
    const missing = fetch(`${url}/v1/orders/never`); // default timeout: 10 s
    await until(() => bed.clock.pendingTimers > 0, 'the long poll to start');
    bed.clock.advance(10_000);
    expect((await missing).status).toBe(504);
  });
});

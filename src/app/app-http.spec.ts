import { Inventory, type Stock } from '../../test/support/inventory-topic';
import { waitFor } from '../../test/support/wait-for';
import { Materialize } from '../decorators/materialize';
import { OwnsTopic } from '../decorators/owns-topic';
import { Query } from '../decorators/query';
import { Service } from '../decorators/service';
import type { QueryRequest } from '../http/query-request';
import type { QueryResult } from '../http/query-result';
import { created } from '../http/query-result';
import { StreamService } from '../runtime/stream-service';
import type { ReadOnlyTable } from '../state/tables/read-only-table';
import { TestBed } from '../testing/test-bed';

/** Owns inventory: the command endpoint changes it at the source, the query reads the view. */
@Service('inventory-service')
@OwnsTopic(Inventory)
class InventoryService extends StreamService {
  @Materialize(Inventory)
  readonly stock!: ReadOnlyTable<string, Stock>;

  @Query('POST /stock')
  async restock(request: QueryRequest): Promise<QueryResult> {
    const stock = request.body as Stock;
    const event = await this.publish(Inventory, stock);
    return created(`/stock/${stock.product}`, { eventId: event.eventId });
  }

  @Query('GET /stock/:product')
  level(product: string, request: QueryRequest): Promise<Stock> {
    return this.stock.waitFor(product, undefined, request.timeoutMs ?? 0);
  }
}

describe('the app serves @Query routes and health', () => {
  let bed: TestBed;
  afterEach(() => bed.stop());

  it('changes data at its owner over HTTP and reads it back from the view', async () => {
    bed = await TestBed.start([InventoryService]);
    const url = bed.app.httpUrl as string;

    const posted = await fetch(`${url}/stock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ product: 'boots', quantity: 4 }),
    });
    expect(posted.status).toBe(201);
    expect(posted.headers.get('location')).toBe('/stock/boots');
    const body = (await posted.json()) as { eventId: string };
    expect(body.eventId).toMatch(/^inventory-service-Stock-boots-v1-[0-9A-Z]{26}$/);

    await bed.drain();
    const read = await fetch(`${url}/stock/boots`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ product: 'boots', quantity: 4 });
  });

  it('long-polls until the key appears, and answers 504 when the timeout passes', async () => {
    bed = await TestBed.start([InventoryService]);
    const url = bed.app.httpUrl as string;
    const waiting = fetch(`${url}/stock/hats?timeout=60000`);
    await waitFor(() => bed.clock.pendingTimers > 0, 'the query to start waiting on the view');
    await bed.send(Inventory, { product: 'hats', quantity: 2 });
    await bed.drain();
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ product: 'hats', quantity: 2 });

    const timingOut = fetch(`${url}/stock/scarves?timeout=1000`);
    await waitFor(() => bed.clock.pendingTimers > 0, 'the query to start waiting on the view');
    bed.clock.advance(1_000);
    const late = await timingOut;
    expect(late.status).toBe(504);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe(
      'SW_TABLE_WAIT_TIMEOUT',
    );
  });

  it('reports live and ready with its checks', async () => {
    bed = await TestBed.start([InventoryService]);
    const url = bed.app.httpUrl as string;
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { checks: { name: string; ready: boolean }[] };
    expect(body.checks).toEqual([
      expect.objectContaining({ name: 'table inventory-service.stock', ready: true }),
    ]);
  });
});

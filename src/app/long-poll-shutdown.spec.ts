import { Inventory, type Stock } from '../../test/support/inventory-topic';
import { waitFor } from '../../test/support/wait-for';
import { Materialize } from '../decorators/materialize';
import { OwnsTopic } from '../decorators/owns-topic';
import { Query } from '../decorators/query';
import { Service } from '../decorators/service';
import type { QueryRequest } from '../http/query-request';
import { StreamService } from '../runtime/stream-service';
import type { ReadOnlyTable } from '../state/tables/read-only-table';
import { TestBed } from '../testing/test-bed';

@Service('inventory-service')
@OwnsTopic(Inventory)
class InventoryService extends StreamService {
  @Materialize(Inventory)
  readonly stock!: ReadOnlyTable<string, Stock>;

  @Query('GET /stock/:product')
  level(product: string, request: QueryRequest): Promise<Stock> {
    return this.stock.waitFor(product, undefined, request.timeoutMs ?? 0, request.signal);
  }

  /** A query written before waitFor took a signal: the server must still answer it at stop. */
  @Query('GET /legacy/:product')
  legacy(product: string, request: QueryRequest): Promise<Stock> {
    return this.stock.waitFor(product, undefined, request.timeoutMs ?? 0);
  }
}

describe('long polls at shutdown and on disconnect', () => {
  let bed: TestBed | undefined;
  afterEach(async () => {
    await bed?.stop();
    bed = undefined;
  });

  it('answers every open long poll 503 with Retry-After at stop, well before the stop grace', async () => {
    bed = await TestBed.start([InventoryService]);
    const url = bed.app.httpUrl as string;
    const clock = bed.clock;
    const polls = Array.from({ length: 20 }, (_, i) =>
      fetch(`${url}/${i % 2 === 0 ? 'stock' : 'legacy'}/p-${i}?timeout=60000`),
    );
    await waitFor(() => clock.pendingTimers === 20, 'all 20 polls to wait on the view');

    const started = Date.now();
    const stopping = bed.stop();
    bed = undefined;
    const answers = await Promise.all(polls);
    await stopping;

    // The default stop grace is 10 s; answering must not wait for it.
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(
        'SW_QUERY_ABORTED',
      );
    }
  });

  it('drops the waiter of a client that disconnects', async () => {
    bed = await TestBed.start([InventoryService]);
    const url = bed.app.httpUrl as string;
    const clock = bed.clock;
    const client = new AbortController();
    const pending = fetch(`${url}/stock/hats?timeout=60000`, { signal: client.signal });
    await waitFor(() => clock.pendingTimers === 1, 'the poll to wait on the view');

    client.abort();
    await expect(pending).rejects.toThrow();
    await waitFor(() => clock.pendingTimers === 0, 'the waiter and its timer to be dropped');
    expect(bed.service(InventoryService).stock.waiting).toBe(0);
  });
});

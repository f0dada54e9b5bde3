import type {
  EventContext,
  QueryRequest,
  QueryResult,
  ReadOnlyTable,
  StateStore,
  WindowedStore,
} from '../../src';
import {
  BadRequestError,
  created,
  EventHandler,
  locationOf,
  Materialize,
  OwnsTopic,
  Query,
  Service,
  session,
  State,
  StreamService,
  Windowed,
} from '../../src';
import type { CheckType, Order, OrderState, OrderValidation } from './domain';
import { CHECK_TYPES } from './domain';
import { DetailsValidations, FraudValidations, InventoryValidations, Orders } from './topics';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const VALIDATION_GAP_MS = 5 * 60_000;

/** What the aggregator knows of one order: the CREATED order itself and whether it was decided. */
export interface Verdict {
  order?: Order;
  decided?: 'VALIDATED' | 'FAILED';
  /** True once the decided state was re-published to `orders`. */
  published?: boolean;
}

const isFinal = (o: Order): boolean => o.state === 'VALIDATED' || o.state === 'FAILED';

/**
 * The single writer of `orders`: takes orders over HTTP, serves them from a partitioned view
 * (routed to the instance holding the key), and aggregates the three validators' results.
 */
@Service('orders-service')
@OwnsTopic(Orders)
export class OrdersService extends StreamService {
  @Materialize(Orders, { mode: 'partitioned' })
  readonly orders!: ReadOnlyTable<string, Order>;

  /** Distinct PASSing check types per order in a 5-minute session, as Confluent's reference. */
  @Windowed<string, CheckType, CheckType[]>('validation-passes', {
    window: session(VALIDATION_GAP_MS, { graceMs: VALIDATION_GAP_MS }),
    initial: () => [],
    aggregate: (checks, check) => (checks.includes(check) ? checks : [...checks, check].sort()),
    merge: (a, b) => [...new Set([...a, ...b])].sort(),
    emit: 'update',
  })
  readonly passes!: WindowedStore<string, CheckType, CheckType[]>;

  /** Keyed by order id (co-partitioned with every input), so each order has one writer. */
  @State('verdicts')
  readonly verdicts!: StateStore<string, Verdict>;

  @Query('POST /v1/orders')
  async create(request: QueryRequest): Promise<QueryResult> {
    const order = request.body as Order;
    if (typeof order !== 'object' || order === null || order.state !== 'CREATED')
      throw new BadRequestError('POST /v1/orders takes an Order whose state is CREATED');
    const event = await this.publish(Orders, order); // the schema rejects a malformed order: 400
    // Each id is one encoded path segment: `../x?y#z` or a unicode id points at itself.
    return created(locationOf('/v1/orders', order.id), { eventId: event.eventId });
  }

  @Query('GET /v1/orders/:id', { routeBy: 'id' })
  order(id: string, request: QueryRequest): Promise<Order> {
    return this.orders.waitFor(
      id,
      undefined,
      request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      request.signal,
    );
  }

  @Query('GET /v1/orders/:id/validated', { routeBy: 'id' })
  validated(id: string, request: QueryRequest): Promise<Order> {
    return this.orders.waitFor(
      id,
      isFinal,
      request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      request.signal,
    );
  }

  /** Keeps the CREATED order; a verdict reached before it was seen is published now. */
  @EventHandler(Orders, { when: (o) => o.state === 'CREATED' })
  async onCreated(order: Order): Promise<void> {
    await this.settle(order.id, { ...this.verdictOf(order.id), order });
  }

  @EventHandler(InventoryValidations)
  onInventory(v: OrderValidation, ctx: EventContext): Promise<void> {
    return this.onValidation(v, ctx);
  }

  @EventHandler(FraudValidations)
  onFraud(v: OrderValidation, ctx: EventContext): Promise<void> {
    return this.onValidation(v, ctx);
  }

  @EventHandler(DetailsValidations)
  onDetails(v: OrderValidation, ctx: EventContext): Promise<void> {
    return this.onValidation(v, ctx);
  }

  /** Any FAIL decides FAILED; 3 distinct PASSes in one session decide VALIDATED; ERROR neither. */
  private async onValidation(v: OrderValidation, ctx: EventContext): Promise<void> {
    const verdict = this.verdictOf(v.orderId);
    if (verdict.decided !== undefined) return; // decided once: later results change nothing
    let decided: Verdict['decided'];
    if (v.validationResult === 'FAIL') decided = 'FAILED';
    if (v.validationResult === 'PASS') {
      const windows = this.passes.add(v.orderId, v.checkType, ctx.timestamp);
      if (windows.some((w) => w.aggregate.length === CHECK_TYPES.length)) decided = 'VALIDATED';
    }
    if (decided !== undefined) await this.settle(v.orderId, { ...verdict, decided });
  }

  private verdictOf(id: string): Verdict {
    return this.verdicts.get(id) ?? {};
  }

  /**
   * Records the verdict and publishes the decided order once both are known. Handlers of one
   * order's partition run one at a time across its four topics, so the next result sees this
   * verdict; if publishing fails, the write is dropped and the retry starts from the stored one.
   */
  private async settle(id: string, verdict: Verdict): Promise<void> {
    const { order, decided, published } = verdict;
    const publish = order !== undefined && decided !== undefined && published !== true;
    this.verdicts.put(id, { ...verdict, published: publish || published === true });
    if (publish) await this.publish(Orders, { ...order, state: decided satisfies OrderState });
  }
}

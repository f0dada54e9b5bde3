import type { ReplicaReader } from '../../src';
import { Replicate, Service, StreamService } from '../../src';
import type { Order, OrderState, Product } from './domain';
import { Orders } from './topics';

/** One row of the `orders` table: the latest state of one order, as SQL readers see it. */
export type OrderRow = {
  readonly id: string;
  readonly customer: number;
  readonly state: OrderState;
  readonly product: Product | null;
  readonly quantity: number;
  readonly price: number;
  /** When the order's latest record was written to `orders`. */
  readonly updated_at: Date;
};

/**
 * The read model of the orders system: the latest state of every order in the PostgreSQL table
 * `orders` (PGlite in the memory demo), for reports and other teams to query with SQL. The replica
 * is the table's only writer; this service itself only reads it.
 */
@Service('order-read-model-service')
export class OrderReadModelService extends StreamService {
  @Replicate<Order>(Orders, {
    table: 'orders',
    keyColumn: 'id',
    columns: {
      customer: { type: 'integer', from: (o) => o.customerId },
      state: 'text',
      product: 'text',
      quantity: 'integer',
      // The topic's price is a JavaScript number: a double keeps exactly that value.
      price: 'double precision',
      updated_at: { type: 'timestamptz', from: (_, record) => record.timestamp },
    },
  })
  readonly orders!: ReplicaReader<OrderRow>;

  /** The rows of `ids`, ordered by id (orders not in the table yet are missing). */
  rowsOf(ids: readonly string[]): Promise<OrderRow[]> {
    return this.orders.query(
      `SELECT * FROM ${this.orders.table} WHERE id = ANY($1::text[]) ORDER BY id`,
      [[...ids]],
    );
  }

  /**
   * True once the table holds every record of `orders` below `ends` (the topic's end offsets by
   * partition): the offsets the replica stored with its last batch have reached them.
   */
  async holds(ends: readonly number[]): Promise<boolean> {
    const next = await this.orders.positions();
    return ends.every((end, partition) => end === 0 || (next.get(partition) ?? 0) >= end);
  }
}

/** A row as one short line: `o-1  VALIDATED  JUMPERS x2 @ 25  customer 1`. */
export function rowLine(row: OrderRow): string {
  const product = row.product ?? '(no product)';
  return `${row.id}  ${row.state.padEnd(9)}  ${product} x${row.quantity} @ ${row.price}  customer ${row.customer}`;
}

/** Waits (bounded) until the read model holds `ends`; answers whether it did. */
export async function untilHolds(
  model: OrderReadModelService,
  ends: readonly number[],
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await model.holds(ends))) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

import { defineTopic } from '../../src/codec/define-topic';
import { project } from '../../src/decorators/project';
import { Replicate } from '../../src/decorators/replicate';
import { Service } from '../../src/decorators/service';
import type { TopicDefinition } from '../../src/model/topics/topic-definition';
import type { ReplicaReader } from '../../src/replicas/replica-reader';
import type { ServiceClass } from '../../src/runtime/service-class';
import { StreamService } from '../../src/runtime/stream-service';
import { partitionForKey } from '../../src/transport/partitioner';
import type { OutgoingRecord } from '../../src/transport/transport';

export const SUMMARY_PARTITIONS = 3;

export interface SummaryOrder {
  readonly id: string;
  readonly customer: string;
  readonly state: string;
}

/** Keyed by its order's id, so it lands in the partition of that order: co-partitioned. */
export interface SummaryPayment {
  readonly orderId: string;
  readonly amount: number;
}

export interface OrderSummary {
  readonly order_id: string;
  readonly customer: string | null;
  readonly state: string | null;
  readonly paid: number;
  readonly payments: number;
  [column: string]: unknown;
}

export interface SummaryTopology {
  readonly Orders: TopicDefinition<SummaryOrder>;
  readonly Payments: TopicDefinition<SummaryPayment>;
  readonly service: ServiceClass<StreamService & { summaries: ReplicaReader<OrderSummary> }>;
}

const empty = (id: string): OrderSummary => ({
  order_id: id,
  customer: null,
  state: null,
  paid: 0,
  payments: 0,
});

/**
 * A service projecting two topics into one table: an order's customer and state from `orders`,
 * the sum and count of its payments from `payments`. Each input owns its columns, so the result
 * does not depend on how the two topics interleave. A negative payment makes the fold throw.
 */
export function summaryTopology(names: {
  readonly orders: string;
  readonly payments: string;
  readonly table: string;
  readonly service: string;
}): SummaryTopology {
  const Orders = defineTopic<SummaryOrder>({
    name: names.orders,
    entity: 'Order',
    key: (o) => o.id,
    partitions: SUMMARY_PARTITIONS,
  });
  const Payments = defineTopic<SummaryPayment>({
    name: names.payments,
    entity: 'Payment',
    key: (p) => p.orderId,
    partitions: SUMMARY_PARTITIONS,
  });
  @Service(names.service)
  class OrderSummaries extends StreamService {
    @Replicate<OrderSummary>(
      [
        project(Orders, (summary, order) => {
          if (order === null) return null;
          return { ...(summary ?? empty(order.id)), customer: order.customer, state: order.state };
        }),
        project(Payments, (summary, payment) => {
          if (payment === null) return summary ?? null;
          if (payment.amount < 0) throw new Error(`a negative payment (${payment.amount})`);
          const base = summary ?? empty(payment.orderId);
          return { ...base, paid: base.paid + payment.amount, payments: base.payments + 1 };
        }),
      ],
      {
        table: names.table,
        keyColumn: 'order_id',
        columns: { customer: 'text', state: 'text', paid: 'integer', payments: 'integer' },
      },
    )
    readonly summaries!: ReplicaReader<OrderSummary>;
  }
  return { Orders, Payments, service: OrderSummaries };
}

/** A record of either topic, in the partition its key hashes to. */
export function summaryRecord(key: string, value: unknown): OutgoingRecord {
  const bytes = Buffer.from(key);
  return {
    key: bytes,
    value: value === null ? null : Buffer.from(JSON.stringify(value)),
    partition: partitionForKey(bytes, SUMMARY_PARTITIONS),
  };
}

/** The rows the projection must hold, folded in plain code: what the table is compared with. */
export class ExpectedSummaries {
  readonly #orders = new Map<string, SummaryOrder | null>();
  readonly #payments = new Map<string, { paid: number; payments: number }>();

  order(id: string, order: SummaryOrder | null): void {
    this.#orders.set(id, order);
  }

  payment(payment: SummaryPayment): void {
    if (payment.amount < 0) return;
    const sum = this.#payments.get(payment.orderId) ?? { paid: 0, payments: 0 };
    this.#payments.set(payment.orderId, {
      paid: sum.paid + payment.amount,
      payments: sum.payments + 1,
    });
  }

  /** Sorted by key; an order deleted before any payment has no row. */
  rows(): OrderSummary[] {
    const keys = new Set([...this.#orders.keys(), ...this.#payments.keys()]);
    const rows: OrderSummary[] = [];
    for (const id of [...keys].sort()) {
      const order = this.#orders.get(id);
      const sum = this.#payments.get(id);
      if (order === null && sum === undefined) continue;
      rows.push({
        ...empty(id),
        ...(order === undefined || order === null
          ? {}
          : { customer: order.customer, state: order.state }),
        ...sum,
      });
    }
    return rows;
  }
}

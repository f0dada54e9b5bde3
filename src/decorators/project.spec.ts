import { misuse } from '../../test/support/misuse';
import { defineTopic } from '../codec/define-topic';
import type { ProjectionSource } from '../model/service/replica-metadata';
import { describeService } from './describe-service';
import { project } from './project';
import { readReplicas } from './read-replicas';
import { Replicate } from './replicate';
import { Service } from './service';

interface Order {
  readonly id: string;
  readonly state: string;
}

interface Payment {
  readonly orderId: string;
  readonly amount: number;
}

interface Summary {
  readonly order_id: string;
  readonly state: string | null;
  readonly paid: number;
  [column: string]: unknown;
}

const Orders = defineTopic<Order>({ name: 'orders', entity: 'Order', key: (o) => o.id });
const Payments = defineTopic<Payment>({
  name: 'payments',
  entity: 'Payment',
  key: (p) => p.orderId,
});

const fromOrders = project(Orders, (summary, order) =>
  order === null ? null : { ...summary, order_id: order.id, state: order.state },
);
const columns = { state: 'text', paid: 'integer' } as const;

describe('@Replicate([...]): a projection of several topics', () => {
  it('records every input with its fold, and the table the folds fill', () => {
    @Service('order-summary')
    class View {
      @Replicate<Summary>(
        [
          project(Orders, (summary, order) => ({
            order_id: order?.id ?? '',
            state: order?.state ?? null,
            paid: summary?.paid ?? 0,
          })),
          project(Payments, (summary, payment) => ({
            order_id: payment?.orderId ?? '',
            state: summary?.state ?? null,
            paid: (summary?.paid ?? 0) + (payment?.amount ?? 0),
          })),
        ],
        { table: 'order_summary', keyColumn: 'order_id', columns },
      )
      summaries!: unknown;
    }
    const [replica] = readReplicas(View);
    expect(replica).toMatchObject({ table: 'order_summary', keyColumn: 'order_id' });
    expect(replica.projection).toBe(true);
    expect(replica.inputs.map((input) => input.topic)).toEqual([Orders, Payments]);
    expect(replica.columns.map((c) => [c.name, c.type])).toEqual([
      ['state', 'text'],
      ['paid', 'integer'],
    ]);
    const info = { partition: 0, offset: 0, timestamp: 0 };
    const paid = replica.inputs[1].project?.(
      { order_id: 'o1', state: 'NEW', paid: 5 },
      { orderId: 'o1', amount: 7 },
      info,
    );
    expect(paid).toEqual({ order_id: 'o1', state: 'NEW', paid: 12 });
    // Every input is consumed, so each has its dead-letter topic and read ACL.
    expect(describeService(View).consumes).toEqual([Orders, Payments]);
  });

  it('leaves a topic mapping as it was: one input, no projection', () => {
    class View {
      @Replicate(Orders, { table: 'orders' })
      orders!: unknown;
    }
    const [replica] = readReplicas(View);
    expect(replica.projection).toBe(false);
    expect(replica.inputs).toEqual([{ topic: Orders }]);
  });
});

describe('@Replicate([...]) misuse', () => {
  const rejected = (sources: readonly unknown[], options: object = { table: 't', columns }) =>
    misuse(() => {
      class View {
        @Replicate(
          sources as readonly ProjectionSource[],
          options as { table: string; columns: typeof columns },
        )
        summaries!: unknown;
      }
      return View;
    }).message;

  it.each<[string, readonly unknown[], string]>([
    [
      'no inputs',
      [],
      'the list of inputs is empty: give one project(topic, fold) per input topic.',
    ],
    [
      'a bare topic in the list',
      [Orders],
      'input 0 is not made by project(topic, fold) with a topic made by defineTopic() (undefined usually means a circular import).',
    ],
    [
      'a topic given twice',
      [fromOrders, fromOrders],
      'topic "orders" is given twice: fold all its records in one function.',
    ],
    [
      'inputs that are not co-partitioned',
      [
        fromOrders,
        project(
          defineTopic<Payment>({
            name: 'payments-6',
            entity: 'Payment',
            key: (p) => p.orderId,
            partitions: 6,
          }),
          (summary) => summary ?? null,
        ),
      ],
      'its inputs are not co-partitioned: "orders" has 1 partition(s) and string keys, "payments-6" 6 and string keys. A row\'s records must share its key and partition: give every input the same partitions and key type (re-key a topic with a service if needed).',
    ],
  ])('rejects %s', (_label, sources, problem) => {
    expect(rejected(sources)).toBe(`@Replicate on View.summaries: ${problem}`);
  });

  it('rejects columns with from functions, and a projection without columns', () => {
    expect(
      rejected([fromOrders], {
        table: 't',
        columns: { state: { type: 'text', from: (o: Order) => o.state } },
      }),
    ).toBe(
      "@Replicate on View.summaries: column \"state\": a projection's columns are types only (its project functions compute the row), e.g. 'text'.",
    );
    expect(rejected([fromOrders], { table: 't' })).toBe(
      "@Replicate on View.summaries: a projection needs its columns with their types, e.g. columns: { state: 'text' }.",
    );
  });
});

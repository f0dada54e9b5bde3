import { misuse } from '../../test/support/misuse';
import { defineTopic } from '../codec/define-topic';
import type { ReplicateOptions } from '../model/service/replica-metadata';
import type { TopicDefinition } from '../model/topics/topic-definition';
import { describeService } from './describe-service';
import { readReplicas } from './read-replicas';
import { Replicate } from './replicate';
import { Service } from './service';

interface Order {
  readonly id: string;
  readonly state: string;
  readonly lines: readonly string[];
}

const Orders = defineTopic<Order>({ name: 'orders', entity: 'Order', key: (o) => o.id });

describe('@Replicate', () => {
  it('records the table, the key column and each column with how it is computed', () => {
    class View {
      @Replicate(Orders, {
        table: 'orders',
        keyColumn: 'id',
        columns: {
          state: 'text',
          line_count: { type: 'integer', from: (order) => order.lines.length },
          seen_at: { type: 'timestamptz', from: (_order, record) => record.timestamp },
        },
      })
      orders!: unknown;
    }
    const [replica] = readReplicas(View);
    expect(replica).toMatchObject({ property: 'orders', table: 'orders', keyColumn: 'id' });
    expect(replica.topic).toBe(Orders);
    const order = { id: 'o1', state: 'NEW', lines: ['a', 'b'] };
    const info = { partition: 0, offset: 7, timestamp: 1_000 };
    expect(replica.columns.map((c) => [c.name, c.type, c.from(order, info)])).toEqual([
      ['state', 'text', 'NEW'],
      ['line_count', 'integer', 2],
      ['seen_at', 'timestamptz', 1_000],
    ]);
  });

  it('keeps the whole value in a jsonb column when no columns are given', () => {
    class View {
      @Replicate(Orders, { table: 'orders' })
      orders!: unknown;
    }
    const [replica] = readReplicas(View);
    const order = { id: 'o1', state: 'NEW', lines: [] };
    expect(replica.keyColumn).toBe('key');
    expect(replica.columns.map((c) => [c.name, c.type])).toEqual([['value', 'jsonb']]);
    expect(replica.columns[0].from(order, { partition: 0, offset: 0, timestamp: 0 })).toBe(order);
  });

  it('makes the topic one the service consumes (its dead-letter topic and ACLs follow)', () => {
    @Service('order-view')
    class View {
      @Replicate(Orders, { table: 'orders' })
      orders!: unknown;
    }
    const description = describeService(View);
    expect(description.replicas.map((r) => r.table)).toEqual(['orders']);
    expect(description.consumes).toEqual([Orders]);
  });
});

describe('@Replicate misuse', () => {
  it.each<[string, ReplicateOptions<Order>, string]>([
    [
      'table name',
      { table: 'Orders-2026' },
      'table "Orders-2026" is not a usable SQL name: use lower-case letters, digits and _ (not first), at most 63, e.g. "orders".',
    ],
    [
      'column type',
      { table: 'orders', columns: { state: 'varchar' as 'text' } },
      'column "state" has type "varchar"; use one of text, integer, bigint, double precision, numeric, boolean, jsonb, timestamptz.',
    ],
    [
      'key column among the columns',
      { table: 'orders', keyColumn: 'id', columns: { id: 'text' } },
      `column "id" is the key column; it holds the record's key, leave it out of columns.`,
    ],
    [
      'empty columns',
      { table: 'orders', columns: {} },
      "columns must name at least one column, e.g. { state: 'text' }, or be left out.",
    ],
    [
      'table name length',
      { table: 'o'.repeat(57) },
      `table "${'o'.repeat(57)}" is longer than 56 characters; its versions are named ${'o'.repeat(57)}_v<n> within PostgreSQL's 63.`,
    ],
    [
      'mapping version',
      { table: 'orders', version: 0 },
      'version 0 must be a whole number >= 1, e.g. 2.',
    ],
  ])('rejects a bad %s, naming the class and property', (_label, options, problem) => {
    const error = misuse(() => {
      class View {
        @Replicate(Orders, options)
        orders!: unknown;
      }
      return View;
    });
    expect(error.className).toBe('View');
    expect(error.member).toBe('orders');
    expect(error.message).toBe(`@Replicate on View.orders: ${problem}`);
  });

  it('rejects a non-topic and a static property', () => {
    expect(
      misuse(() => {
        class View {
          @Replicate(undefined as unknown as TopicDefinition<Order>, { table: 'orders' })
          orders!: unknown;
        }
        return View;
      }).message,
    ).toMatch(/^@Replicate on View\.orders: the first argument is not a topic made by defineTopic/);
    expect(
      misuse(() => {
        class View {
          @Replicate(Orders, { table: 'orders' })
          static orders: unknown;
        }
        return View;
      }).message,
    ).toBe('@Replicate on View.orders: is on a static property; replicas are per instance.');
  });

  it('rejects two replicas writing one table, also across inheritance', () => {
    expect(
      misuse(() => {
        class View {
          @Replicate(Orders, { table: 'orders' })
          a!: unknown;
          @Replicate(Orders, { table: 'orders' })
          b!: unknown;
        }
        return View;
      }).message,
    ).toBe(
      '@Replicate on View.b: table "orders" is already replicated by a: a table has one writer.',
    );
    class Base {
      @Replicate(Orders, { table: 'orders' })
      a!: unknown;
    }
    @Service('child-view')
    class Child extends Base {
      @Replicate(Orders, { table: 'orders' })
      b!: unknown;
    }
    expect(misuse(() => describeService(Child)).message).toBe(
      '@Replicate on Child.b: table "orders" is already replicated by a: a table has one writer.',
    );
  });
});

import type { DeliveredRecord, Subscription, Transport } from '../../src';
import type { Customer, Order, OrderValidation } from './domain';
import { DetailsValidations, FraudValidations, InventoryValidations, Orders } from './topics';

/** The demo's customers; customer 1 is gold, the others default to bronze. */
export function demoCustomers(idOffset = 0): Customer[] {
  return [1, 2, 3, 4].map((n) => ({
    id: n + idOffset,
    firstName: `Customer`,
    lastName: String(n),
    email: `customer${n}@example.com`,
    address: `${n} High Street`,
    ...(n === 1 ? { level: 'gold' as const } : {}),
  }));
}

/** POST /v1/orders with the order as JSON. */
export function postOrder(url: string, order: Order): Promise<Response> {
  return fetch(`${url}/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(order),
  });
}

/** `POST o-1 (customer 1, 2 x JUMPERS at 25) -> 201` */
export function postLine(order: Order, status: number): string {
  const amount = `${order.quantity} x ${order.product ?? '(no product)'} at ${order.price}`;
  return `POST ${order.id} (customer ${order.customerId}, ${amount}) -> ${status}`;
}

/** Asks GET /v1/orders/{id}/validated and answers the final state or the HTTP status. */
export async function validatedState(
  url: string,
  id: string,
  timeoutMs: number,
): Promise<{ ok: boolean; state: string }> {
  const answer = await fetch(`${url}/v1/orders/${id}/validated?timeout=${timeoutMs}`);
  const state = answer.ok ? ((await answer.json()) as Order).state : `${answer.status}`;
  return { ok: answer.ok, state };
}

/** `o-3: CREATED -> … FRAUD:FAIL -> FAILED => FAILED` (or `=> still CREATED (504)`). */
export function journeyLine(
  id: string,
  steps: readonly string[],
  answer: { ok: boolean; state: string },
): string {
  return `${id}: ${steps.join(' -> ')} => ${answer.ok ? answer.state : `still CREATED (${answer.state})`}`;
}

export interface JourneyTap {
  /** Per order id, every state of `orders` and every check result, in the order seen. */
  readonly journeys: Map<string, string[]>;
  stepsOf(id: string): string[];
  /** Stops the tap's subscription and disconnects its transport. */
  stop(): Promise<void>;
}

/** A consumer group of its own on orders and the validations (principle 3: anyone may listen). */
export async function tapJourneys(transport: Transport, groupId: string): Promise<JourneyTap> {
  const journeys = new Map<string, string[]>();
  const add = (id: string, step: string) => journeys.set(id, [...(journeys.get(id) ?? []), step]);
  await transport.connect();
  const validationTopics = [InventoryValidations, FraudValidations, DetailsValidations];
  let subscription: Subscription;
  try {
    subscription = await transport.subscribe({
      groupId,
      topics: [Orders.name, ...validationTopics.map((t) => t.name)],
      offsetReset: 'earliest',
      handle: (record: DeliveredRecord) => {
        const text = record.value?.toString('utf8') ?? 'null';
        if (record.topic === Orders.name) {
          const o = JSON.parse(text) as Order;
          add(o.id, o.state);
        } else {
          const v = JSON.parse(text) as OrderValidation;
          add(v.orderId, `${v.checkType.replace('_CHECK', '')}:${v.validationResult}`);
        }
        return Promise.resolve();
      },
    });
  } catch (error) {
    await transport.disconnect();
    throw error;
  }
  return {
    journeys,
    stepsOf: (id) => journeys.get(id) ?? [],
    stop: async () => {
      await subscription.stop();
      await transport.disconnect();
    },
  };
}

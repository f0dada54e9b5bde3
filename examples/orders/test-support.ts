import type { Order, Product } from './domain';

/** A CREATED order with the given amounts (product JUMPERS and customer 1 unless given). */
export function newOrder(
  id: string,
  fields: Partial<Omit<Order, 'id' | 'state'>> & { product?: Product } = {},
): Order {
  return {
    id,
    customerId: 1,
    state: 'CREATED',
    product: 'JUMPERS',
    quantity: 1,
    price: 10,
    ...fields,
  };
}

/** Resolves once `condition` holds, checking every event-loop turn (for HTTP long polls). */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`gave up waiting for ${what}`);
}

import { EventHandler, OwnsTopic, Service, StreamService } from '../../src';
import type { Order } from './domain';
import { validation } from './domain';
import { DetailsValidations, Orders } from './topics';

/** Zero quantity or price passes; only negative amounts or a missing product fail. */
export function detailsAreValid(order: Order): boolean {
  return order.quantity >= 0 && order.price >= 0 && order.product !== undefined;
}

/**
 * Stateless: one result per CREATED order. Offsets are committed after the result is published,
 * so a restart continues where it stopped and validates no order twice.
 */
@Service('order-details-service')
@OwnsTopic(DetailsValidations)
export class OrderDetailsService extends StreamService {
  @EventHandler(Orders, { when: (o) => o.state === 'CREATED' })
  async validate(order: Order): Promise<void> {
    await this.publish(
      DetailsValidations,
      validation(order.id, 'ORDER_DETAILS_CHECK', detailsAreValid(order)),
    );
  }
}

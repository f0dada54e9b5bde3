import type { EventContext, ReadOnlyTable, StateStore } from '../../src';
import { EventHandler, Materialize, OwnsTopic, Service, State, StreamService } from '../../src';
import type { Order, StockLevel } from './domain';
import { validation } from './domain';
import {
  InventoryOrdersByProduct,
  InventoryValidations,
  Orders,
  WarehouseInventory,
} from './topics';

/**
 * Reserves stock per product. CREATED orders are first re-keyed by product into its own topic,
 * so every product's reservations are handled on one partition, in order, by one writer.
 */
@Service('inventory-service')
@OwnsTopic(InventoryOrdersByProduct, InventoryValidations)
export class InventoryService extends StreamService {
  @Materialize(WarehouseInventory) // global: every product's stock, whatever partition it is on
  readonly stock!: ReadOnlyTable<string, StockLevel>;

  /** Reserved units per product; never released, as the inventory rule says (see README.md). */
  @State('reserved')
  readonly reserved!: StateStore<string, number>;

  @EventHandler(Orders, { when: (o) => o.state === 'CREATED' })
  async rekey(order: Order, ctx: EventContext): Promise<void> {
    if (order.product === undefined) return; // nothing to reserve: no inventory result
    await this.publish(InventoryOrdersByProduct, order, { timestamp: ctx.timestamp });
  }

  @EventHandler(InventoryOrdersByProduct)
  async reserve(order: Order): Promise<void> {
    const product = order.product as string; // rekey() only forwards orders with a product
    const stock = this.stock.get(product);
    if (stock === undefined) return; // no warehouse record: no result at all
    const reserved = this.reserved.get(product) ?? 0;
    const pass = stock.quantity - reserved - order.quantity >= 0;
    if (pass) this.reserved.put(product, reserved + order.quantity);
    await this.publish(InventoryValidations, validation(order.id, 'INVENTORY_CHECK', pass));
  }
}

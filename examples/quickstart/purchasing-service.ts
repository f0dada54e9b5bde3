import type { EventContext } from '../../src';
import { EventHandler, OwnsTopic, Service, StreamService } from '../../src';
import type { StockMovement } from './topics';
import { ReorderRequests, StockMovements } from './topics';

export const REORDER_BELOW = 5;
export const TARGET_LEVEL = 20;

/**
 * Subscribes to the warehouse's movements (it never calls the warehouse) and owns the reorder
 * requests it derives from them. Its stock levels are rebuilt from the log on start.
 */
@Service('purchasing-service')
@OwnsTopic(ReorderRequests)
export class PurchasingService extends StreamService {
  readonly #levels = new Map<string, number>();

  @EventHandler(StockMovements)
  async onMovement(movement: StockMovement, ctx: EventContext): Promise<void> {
    const before = this.#levels.get(movement.sku) ?? 0;
    const level = before + movement.delta;
    this.#levels.set(movement.sku, level);
    ctx.logger.debug('stock level changed', { sku: movement.sku, level });
    if (before >= REORDER_BELOW && level < REORDER_BELOW) {
      await this.publish(ReorderRequests, {
        sku: movement.sku,
        quantity: TARGET_LEVEL - level,
        levelAtRequest: level,
      });
    }
  }

  level(sku: string): number {
    return this.#levels.get(sku) ?? 0;
  }
}

import type { PublishedEvent } from '../../src';
import { OwnsTopic, Service, StreamService } from '../../src';
import type { StockLevel } from './domain';
import { WarehouseInventory } from './topics';

/** The warehouse admin: the single writer of stock levels (outside the validation flow). */
@Service('warehouse-service')
@OwnsTopic(WarehouseInventory)
export class WarehouseService extends StreamService {
  setStock(level: StockLevel): Promise<PublishedEvent> {
    return this.publish(WarehouseInventory, level);
  }
}

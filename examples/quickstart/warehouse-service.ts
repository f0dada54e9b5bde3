import type { PublishedEvent } from '../../src';
import { OwnsTopic, Service, StreamService } from '../../src';
import type { StockMovement } from './topics';
import { StockMovements } from './topics';

/** The single writer of stock movements: the warehouse records what arrives and what ships. */
@Service('warehouse-service')
@OwnsTopic(StockMovements)
export class WarehouseService extends StreamService {
  record(movement: StockMovement): Promise<PublishedEvent> {
    return this.publish(StockMovements, movement);
  }
}

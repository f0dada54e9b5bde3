import { defineTopic } from '../../src';

export interface StockMovement {
  sku: string;
  /** Positive when goods arrive, negative when they ship. */
  delta: number;
  reason: 'delivery' | 'shipment' | 'count';
}

export interface ReorderRequest {
  sku: string;
  /** How many to buy to get back to the target level. */
  quantity: number;
  levelAtRequest: number;
}

/** Every change of stock, keyed by SKU so each product's movements stay in order. */
export const StockMovements = defineTopic<StockMovement>({
  name: 'stock-movements',
  entity: 'StockMovement',
  key: (m) => m.sku,
  partitions: 3,
});

/** Purchase requests; compacted, so the topic holds the latest request per SKU. */
export const ReorderRequests = defineTopic<ReorderRequest>({
  name: 'reorder-requests',
  entity: 'ReorderRequest',
  key: (r) => r.sku,
  partitions: 3,
  compacted: true,
});

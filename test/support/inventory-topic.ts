import { defineTopic } from '../../src/codec/define-topic';

/** A compacted stock topic, for HTTP specs whose service materializes and serves it. */
export interface Stock {
  product: string;
  quantity: number;
}

export const Inventory = defineTopic<Stock>({
  name: 'inventory',
  entity: 'Stock',
  key: (s) => s.product,
  partitions: 2,
  compacted: true,
});

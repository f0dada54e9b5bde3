import type { JsonSchema, TopicDefinition } from '../../src';
import { defineTopic } from '../../src';
import type {
  Customer,
  CustomerLevel,
  EnrichedOrder,
  Order,
  OrderState,
  OrderValidation,
  Payment,
  StockLevel,
} from './domain';
import { CHECK_TYPES, CUSTOMER_LEVELS, ORDER_STATES, PRODUCTS } from './domain';

/**
 * Every topic a handler reads next to a @State/@Windowed store must be co-partitioned with the
 * others it reads, so the order-keyed and re-keyed topics all share this count.
 */
export const PARTITIONS = 4;

const OrderSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'customerId', 'state', 'quantity', 'price'],
  properties: {
    id: { type: 'string', minLength: 1 },
    customerId: { type: 'integer' },
    state: { enum: [...ORDER_STATES] },
    product: { enum: [...PRODUCTS] },
    quantity: { type: 'integer' },
    price: { type: 'number' },
  },
  additionalProperties: false,
};

/** Event ids get a new version per state change: orders-service-Order-<id>-v1, -v2… */
const REVISION: Readonly<Record<OrderState, number>> = {
  CREATED: 1,
  VALIDATED: 2,
  FAILED: 2,
  SHIPPED: 3,
};

/** Written only by the orders service (creation and the aggregator's verdicts). */
export const Orders = defineTopic<Order>({
  name: 'orders',
  entity: 'Order',
  key: (o) => o.id,
  revision: (o) => REVISION[o.state],
  partitions: PARTITIONS,
  schema: OrderSchema,
  owner: 'orders-service',
});

const ValidationSchema: JsonSchema = {
  type: 'object',
  required: ['orderId', 'checkType', 'validationResult'],
  properties: {
    orderId: { type: 'string' },
    checkType: { enum: [...CHECK_TYPES] },
    validationResult: { enum: ['PASS', 'FAIL', 'ERROR'] },
  },
  additionalProperties: false,
};

/** One validations topic per check type, each with one writer (`owner`): its validator. */
function validations(
  check: string,
  entity: string,
  owner: string,
): TopicDefinition<OrderValidation> {
  return defineTopic<OrderValidation>({
    name: `order-validations-${check}`,
    entity,
    owner,
    key: (v) => v.orderId,
    partitions: PARTITIONS, // co-partitioned with orders: the aggregator joins them by order id
    schema: ValidationSchema,
  });
}
export const InventoryValidations = validations('inventory', 'InventoryCheck', 'inventory-service');
export const FraudValidations = validations('fraud', 'FraudCheck', 'fraud-service');
export const DetailsValidations = validations(
  'details',
  'OrderDetailsCheck',
  'order-details-service',
);

export const WarehouseInventory = defineTopic<StockLevel>({
  name: 'warehouse-inventory',
  entity: 'Stock',
  owner: 'warehouse-service',
  key: (s) => s.product,
  compacted: true,
  partitions: PARTITIONS,
  schema: {
    type: 'object',
    required: ['product', 'quantity'],
    properties: { product: { enum: [...PRODUCTS] }, quantity: { type: 'integer', minimum: 0 } },
    additionalProperties: false,
  },
});

const PaymentSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'orderId', 'ccy', 'amount'],
  properties: {
    id: { type: 'string' },
    orderId: { type: 'string' },
    ccy: { type: 'string' },
    amount: { type: 'number' },
  },
  additionalProperties: false,
};

export const Payments = defineTopic<Payment>({
  name: 'payments',
  entity: 'Payment',
  owner: 'payments-service',
  key: (p) => p.id,
  partitions: PARTITIONS, // read by the email service next to its join store
  schema: PaymentSchema,
});

export const Customers = defineTopic<Customer, number>({
  name: 'customers',
  entity: 'Customer',
  owner: 'customers-service',
  key: (c) => c.id,
  keyType: 'number',
  compacted: true,
  partitions: 2,
  schema: {
    type: 'object',
    required: ['id', 'firstName', 'lastName', 'email', 'address'],
    properties: {
      id: { type: 'integer' },
      firstName: { type: 'string' },
      lastName: { type: 'string' },
      email: { type: 'string' },
      address: { type: 'string' },
      level: { enum: [...CUSTOMER_LEVELS], default: 'bronze' },
    },
    additionalProperties: false,
  },
});

/** The inventory service's own copy of CREATED orders, keyed by product for its reservations. */
export const InventoryOrdersByProduct = defineTopic<Order>({
  name: 'inventory-orders-by-product',
  entity: 'Order',
  owner: 'inventory-service',
  key: (o) => o.product ?? '',
  id: (o) => o.id,
  partitions: PARTITIONS,
  schema: OrderSchema,
});

/** The fraud service's own copy of CREATED orders, keyed by customer for its session windows. */
export const FraudOrdersByCustomer = defineTopic<Order, number>({
  name: 'fraud-orders-by-customer',
  entity: 'Order',
  owner: 'fraud-service',
  key: (o) => o.customerId,
  keyType: 'number',
  id: (o) => o.id,
  partitions: PARTITIONS,
  schema: OrderSchema,
});

/** The email service's own copy of payments, keyed by order id to join them with orders. */
export const EmailPaymentsByOrder = defineTopic<Payment>({
  name: 'email-payments-by-order',
  entity: 'Payment',
  owner: 'email-service',
  key: (p) => p.orderId,
  id: (p) => p.id,
  partitions: PARTITIONS,
  schema: PaymentSchema,
});

const EnrichedSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'customerId', 'customerLevel'],
  properties: {
    id: { type: 'string' },
    customerId: { type: 'integer' },
    customerLevel: { enum: [...CUSTOMER_LEVELS] },
  },
  additionalProperties: false,
};

/** One topic per customer level, named after the level itself (see README.md). */
export const EnrichedOrdersByLevel: Readonly<
  Record<CustomerLevel, TopicDefinition<EnrichedOrder>>
> = {
  bronze: enriched('bronze'),
  silver: enriched('silver'),
  gold: enriched('gold'),
  platinum: enriched('platinum'),
};

function enriched(level: CustomerLevel): TopicDefinition<EnrichedOrder> {
  return defineTopic<EnrichedOrder>({
    name: level,
    entity: 'EnrichedOrder',
    owner: 'email-service',
    key: (o) => o.id,
    partitions: PARTITIONS,
    schema: EnrichedSchema,
  });
}

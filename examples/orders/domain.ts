/** The orders domain (see README.md), as plain types shared by every service. */
export const ORDER_STATES = ['CREATED', 'VALIDATED', 'FAILED', 'SHIPPED'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const PRODUCTS = ['JUMPERS', 'UNDERPANTS', 'STOCKINGS'] as const;
export type Product = (typeof PRODUCTS)[number];

export interface Order {
  id: string;
  customerId: number;
  state: OrderState;
  /** Optional in the schema so the order details check, not the schema, rejects its absence. */
  product?: Product;
  quantity: number;
  price: number;
}

export const CHECK_TYPES = ['INVENTORY_CHECK', 'FRAUD_CHECK', 'ORDER_DETAILS_CHECK'] as const;
export type CheckType = (typeof CHECK_TYPES)[number];
export type ValidationResult = 'PASS' | 'FAIL' | 'ERROR';

export interface OrderValidation {
  orderId: string;
  checkType: CheckType;
  validationResult: ValidationResult;
}

/** A warehouse stock level; wrapped in an object (not a bare integer) so it names its product. */
export interface StockLevel {
  product: Product;
  quantity: number;
}

export interface Payment {
  id: string;
  orderId: string;
  ccy: string;
  amount: number;
}

/** The customer levels, each with its own enriched-order topic; "bronze" is the default. */
export const CUSTOMER_LEVELS = ['bronze', 'silver', 'gold', 'platinum'] as const;
export type CustomerLevel = (typeof CUSTOMER_LEVELS)[number];
export const DEFAULT_LEVEL: CustomerLevel = 'bronze';

export interface Customer {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  address: string;
  level?: CustomerLevel;
}

export interface EnrichedOrder {
  id: string;
  customerId: number;
  customerLevel: CustomerLevel;
}

/** A check's result: PASS when no reason to fail was found. */
export function validation(orderId: string, checkType: CheckType, pass: boolean): OrderValidation {
  return { orderId, checkType, validationResult: pass ? 'PASS' : 'FAIL' };
}

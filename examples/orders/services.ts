// The orders system in one module, e.g. for `streamwise topology examples/orders/services.ts`.
import type { ServiceClass } from '../../src';
import { CustomersService } from './customers-service';
import { EmailService } from './email-service';
import { FraudService } from './fraud-service';
import { InventoryService } from './inventory-service';
import { OrderDetailsService } from './order-details-service';
import { OrderReadModelService } from './order-read-model-service';
import { OrdersService } from './orders-service';
import { PaymentsService } from './payments-service';
import { WarehouseService } from './warehouse-service';

export {
  CustomersService,
  EmailService,
  FraudService,
  InventoryService,
  OrderDetailsService,
  OrderReadModelService,
  OrdersService,
  PaymentsService,
  WarehouseService,
};
export * from './topics';

/**
 * Every service of the validation system, as one app (or one TestBed) runs them. The read model
 * (OrderReadModelService) is not among them: it needs a database (the app option replicaDatabase),
 * so the runs that show it (the demos, orders.e2e.int.spec.ts) add it with one.
 */
export const ORDER_SERVICES: readonly ServiceClass[] = [
  OrdersService,
  OrderDetailsService,
  InventoryService,
  FraudService,
  EmailService,
  WarehouseService,
  PaymentsService,
  CustomersService,
];

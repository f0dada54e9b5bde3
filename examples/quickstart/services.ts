// The quickstart's services in one module, e.g. for `streamwise topology examples/quickstart/services.ts`.
export { PurchasingService } from './purchasing-service';
export { ReorderRequests, StockMovements } from './topics';
export { WarehouseService } from './warehouse-service';

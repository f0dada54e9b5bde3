import { inject } from 'inversify';
import type { Admin } from 'kafkajs';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
} from 'kafkajs';

import type { Emailer } from '../../examples/orders/emailer';
import { EMAILER, ordersContainer } from '../../examples/orders/emailer';
import {
  CustomersService,
  EmailService,
  FraudService,
  InventoryService,
  OrderDetailsService,
  OrdersService,
  PaymentsService,
  WarehouseService,
} from '../../examples/orders/services';
import type { ServiceClass } from '../../src';
import { Service, SilentLogger, StreamwiseApp } from '../../src';
import { describeService } from '../../src/decorators/describe-service';
import { planAcls } from '../../src/model/service-acls';
import type { AclBinding } from '../../src/transport/acl-binding';
import { fromKafkaAcls, toKafkaAcl } from '../../src/transport/kafka/kafka-acl-entries';
import { KafkaTransport } from '../../src/transport/kafka/kafka-transport';
import { userPassword } from './secured-env';
import { waitFor } from './wait-for';

// The orders system with exactly-once processing: the same services, each re-declared with
// exactlyOnce (a subclass is a service of its own, inheriting handlers, stores and tables).
@Service('orders-service', { exactlyOnce: true })
class ExactlyOnceOrdersService extends OrdersService {}
@Service('order-details-service', { exactlyOnce: true })
class ExactlyOnceOrderDetailsService extends OrderDetailsService {}
@Service('inventory-service', { exactlyOnce: true })
class ExactlyOnceInventoryService extends InventoryService {}
@Service('fraud-service', { exactlyOnce: true })
class ExactlyOnceFraudService extends FraudService {}
@Service('email-service', { exactlyOnce: true })
class ExactlyOnceEmailService extends EmailService {
  constructor(@inject(EMAILER) emailer: Emailer) {
    super(emailer);
  }
}

const SOURCES = [WarehouseService, PaymentsService, CustomersService];

/** The orders system, every service with its own app (so its own login). Orders first. */
export const AT_LEAST_ONCE: readonly ServiceClass[] = [
  OrdersService,
  OrderDetailsService,
  InventoryService,
  FraudService,
  EmailService,
  ...SOURCES,
];
export const EXACTLY_ONCE: readonly ServiceClass[] = [
  ExactlyOnceOrdersService,
  ExactlyOnceOrderDetailsService,
  ExactlyOnceInventoryService,
  ExactlyOnceFraudService,
  ExactlyOnceEmailService,
  ...SOURCES,
];

const ANY_OF_PRINCIPAL = (principal: string) => ({
  resourceType: AclResourceTypes.ANY,
  resourcePatternType: ResourcePatternTypes.ANY,
  principal,
  operation: AclOperationTypes.ANY,
  permissionType: AclPermissionTypes.ANY,
});

/**
 * Makes the broker hold exactly `bindings` for their principals (what earlier runs granted them
 * is deleted first), and waits until its authorizer answers with all of them.
 */
export async function grantExactly(admin: Admin, bindings: readonly AclBinding[]): Promise<void> {
  const principals = [...new Set(bindings.map((binding) => binding.principal))];
  await admin.deleteAcls({ filters: principals.map(ANY_OF_PRINCIPAL) });
  await admin.createAcls({ acl: bindings.map(toKafkaAcl) });
  await waitFor(async () => {
    const held = await Promise.all(
      principals.map(
        async (principal) =>
          fromKafkaAcls(await admin.describeAcls(ANY_OF_PRINCIPAL(principal))).bindings,
      ),
    );
    return held.flat().length === bindings.length;
  }, `the broker to hold the ${bindings.length} ACLs`);
}

/** The ACLs `streamwise acls` prints for these services. */
export function aclsOf(services: readonly ServiceClass[]): AclBinding[] {
  return planAcls(services.map((service) => describeService(service)));
}

/** A transport logged in as the service's own user (SCRAM-SHA-512). */
export function serviceTransport(brokers: readonly string[], service: string): KafkaTransport {
  return new KafkaTransport({
    brokers,
    sasl: { mechanism: 'scram-sha-512', username: service, password: userPassword(service) },
    logger: new SilentLogger(),
    kafkaLogLevel: 'nothing',
    consumer: { maxWaitTimeMs: 100 },
  });
}

export interface SecuredOrders {
  /** One app per service, by service name. */
  readonly apps: ReadonlyMap<string, StreamwiseApp>;
  app(service: string): StreamwiseApp;
  stop(): Promise<void>;
}

/** Starts every service in an app of its own, logged in as the service; stops all on failure. */
export async function startSecuredOrders(
  brokers: readonly string[],
  services: readonly ServiceClass[],
): Promise<SecuredOrders> {
  const apps = new Map<string, StreamwiseApp>();
  const stop = async (): Promise<void> => {
    for (const app of apps.values()) await app.stop().catch(() => undefined);
  };
  const container = ordersContainer({ send: () => Promise.resolve() });
  try {
    for (const service of services) {
      const name = describeService(service).name;
      apps.set(name, await startApp(brokers, service, name, container));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    apps,
    app: (service) => {
      const app = apps.get(service);
      if (app === undefined) throw new Error(`no app runs ${service}`);
      return app;
    },
    stop,
  };
}

async function startApp(
  brokers: readonly string[],
  service: ServiceClass,
  name: string,
  container: ReturnType<typeof ordersContainer>,
): Promise<StreamwiseApp> {
  for (let attempt = 1; ; attempt++) {
    const app = StreamwiseApp.create({
      services: [service],
      transport: serviceTransport(brokers, name),
      logger: new SilentLogger(),
      container,
      // Started one by one, services read topics whose owners have not started yet (the
      // generated ACLs let a service create the topics it reads).
      createForeignTopics: true,
    });
    try {
      return await app.start();
    } catch (error) {
      // Topics just created may have no leader yet: a failed app has stopped itself; try again.
      if (attempt >= 5 || (error as { retriable?: unknown }).retriable !== true) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

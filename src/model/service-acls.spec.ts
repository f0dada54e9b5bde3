import { InventoryService, ORDER_SERVICES, OrdersService } from '../../examples/orders/services';
import { describeService } from '../decorators/describe-service';
import type { AclBinding } from '../transport/acl-binding';
import { planAcls } from './service-acls';
import { planOwners } from './topic-plan';

const descriptions = ORDER_SERVICES.map((service) => describeService(service));

/** "OPERATION type:name" (a trailing * marks a prefix) of one principal's bindings. */
function grantsOf(bindings: readonly AclBinding[], principal: string): string[] {
  return bindings
    .filter((binding) => binding.principal === principal)
    .map(
      (b) =>
        `${b.operation} ${b.resourceType}:${b.resourceName}${b.patternType === 'prefixed' ? '*' : ''}`,
    )
    .sort();
}

describe('the ACLs of the orders system', () => {
  const bindings = planAcls(descriptions);

  it('give the orders service exactly what it needs to start and run', () => {
    const topics = (operations: string[], names: string[]): string[] =>
      operations.flatMap((operation) => names.map((name) => `${operation} topic:${name}`));
    const inputs = [
      'order-validations-details',
      'order-validations-fraud',
      'order-validations-inventory',
    ];
    const changelogs = [
      'orders-service-validation-passes-changelog',
      'orders-service-verdicts-changelog',
    ];
    const deadLetters = ['orders.dlq', ...inputs.map((name) => `${name}.dlq`)];
    const claims = '_streamwise-instances';
    expect(grantsOf(bindings, 'User:orders-service')).toEqual(
      [
        ...topics(['WRITE'], ['orders', ...changelogs, ...deadLetters, claims]),
        ...topics(['READ'], ['orders', ...inputs, ...changelogs, claims]),
        ...topics(
          ['DESCRIBE', 'DESCRIBE_CONFIGS', 'CREATE'],
          ['orders', ...inputs, ...changelogs, ...deadLetters, claims],
        ),
        'READ group:orders-service',
        'READ group:orders-service-validation-passes-changelog.restore.*',
        'READ group:orders-service-verdicts-changelog.restore.*',
        'READ group:orders.restore.*',
        'READ group:streamwise.instances.*',
      ].sort(),
    );
  });

  it('grant WRITE on every business topic to its single owner only', () => {
    const owners = planOwners(descriptions);
    for (const [topic, owner] of owners) {
      const writers = bindings
        .filter(
          (b) => b.resourceType === 'topic' && b.resourceName === topic && b.operation === 'WRITE',
        )
        .map((b) => b.principal);
      expect({ topic, writers }).toEqual({ topic, writers: [`User:${owner}`] });
    }
  });

  it('grant the global-table feeder groups of a service by its own prefix', () => {
    expect(grantsOf(bindings, 'User:inventory-service')).toEqual(
      expect.arrayContaining([
        'READ group:inventory-service',
        'READ group:inventory-service.table.*',
        'READ group:inventory-service-reserved-changelog.restore.*',
      ]),
    );
  });

  it('count 195 bindings for the eight services, none for a principal it was not asked for', () => {
    expect(bindings).toHaveLength(195);
    expect(new Set(bindings.map((b) => b.principal))).toEqual(
      new Set(descriptions.map((d) => `User:${d.name}`)),
    );
  });
});

describe('planAcls options', () => {
  it('map service names through the principal format', () => {
    const [first] = planAcls([describeService(InventoryService)], {
      principalFormat: 'User:CN={service},OU=apps',
    });
    expect(first?.principal).toBe('User:CN=inventory-service,OU=apps');
  });

  it('refuse a format without {service}, which would give every service one principal', () => {
    expect(() => planAcls(descriptions, { principalFormat: 'User:app' })).toThrow(
      /no \{service\} placeholder/,
    );
  });

  it('add IDEMPOTENT_WRITE on the cluster only when asked (brokers before Kafka 3.0)', () => {
    const orders = [describeService(OrdersService)];
    expect(planAcls(orders).some((b) => b.operation === 'IDEMPOTENT_WRITE')).toBe(false);
    expect(planAcls(orders, { idempotentWrite: true })).toContainEqual({
      principal: 'User:orders-service',
      resourceType: 'cluster',
      resourceName: 'kafka-cluster',
      patternType: 'literal',
      operation: 'IDEMPOTENT_WRITE',
    });
  });
});

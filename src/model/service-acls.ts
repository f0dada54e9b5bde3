import { ConfigurationError } from '../errors/configuration-error';
import type { AclBinding, AclOperation, AclResourceType } from '../transport/acl-binding';
import { aclKey, CLUSTER_RESOURCE_NAME } from '../transport/acl-binding';
import type { ServiceDescription } from './service/service-description';
import { planService } from './topic-plan';

export interface AclPlanOptions {
  /** How a service name maps to its principal; `{service}` is replaced (default "User:{service}"). */
  readonly principalFormat?: string;
  /**
   * Also grant IDEMPOTENT_WRITE on the cluster. Brokers before Kafka 3.0 need it for the
   * idempotent producer; newer ones accept WRITE on any topic instead (KIP-679).
   */
  readonly idempotentWrite?: boolean;
}

export const DEFAULT_PRINCIPAL_FORMAT = 'User:{service}';

/**
 * Every ACL each service needs to start and run with its own principal under a broker that
 * allows nothing without an ACL, from the same plan the app creates its topics and opens its
 * groups from (planService): the broker then enforces the single writers (principle 5).
 * - what it writes (owned topics, changelogs, dead letters, partition claims): WRITE, DESCRIBE;
 * - what it reads (handled and materialized topics, its changelogs): READ, DESCRIBE;
 * - what the app checks and creates at start: DESCRIBE, DESCRIBE_CONFIGS, CREATE (CREATE lets
 *   it create a topic it reads before the owner ran, never write it);
 * - its group and, by prefix, its restore, table-feeder and partition-claims groups: READ;
 * - with exactlyOnce, its transactional ids by prefix: WRITE, DESCRIBE.
 */
export function planAcls(
  services: readonly ServiceDescription[],
  options: AclPlanOptions = {},
): AclBinding[] {
  const format = options.principalFormat ?? DEFAULT_PRINCIPAL_FORMAT;
  if (!format.includes('{service}')) {
    throw new ConfigurationError(
      `the principal format "${format}" has no {service} placeholder, so every service would get the same principal; use e.g. "User:{service}".`,
    );
  }
  const bindings = new Map<string, AclBinding>();
  for (const description of services) {
    const plan = planService(description);
    const principal = format.split('{service}').join(plan.service);
    const grant = (
      resourceType: AclResourceType,
      resourceName: string,
      operations: readonly AclOperation[],
      patternType: AclBinding['patternType'] = 'literal',
    ): void => {
      for (const operation of operations) {
        const binding = { principal, resourceType, resourceName, patternType, operation };
        if (!bindings.has(aclKey(binding))) bindings.set(aclKey(binding), binding);
      }
    };
    for (const topic of plan.writes) grant('topic', topic, ['WRITE', 'DESCRIBE']);
    for (const topic of plan.reads) grant('topic', topic, ['READ', 'DESCRIBE']);
    for (const topic of plan.creates)
      grant('topic', topic, ['DESCRIBE', 'DESCRIBE_CONFIGS', 'CREATE']);
    grant('group', plan.group, ['READ']);
    for (const prefix of plan.groupPrefixes) grant('group', prefix, ['READ'], 'prefixed');
    if (plan.transactionalIdPrefix !== undefined) {
      grant('transactional-id', plan.transactionalIdPrefix, ['WRITE', 'DESCRIBE'], 'prefixed');
    }
    if (options.idempotentWrite === true) {
      grant('cluster', CLUSTER_RESOURCE_NAME, ['IDEMPOTENT_WRITE']);
    }
  }
  return [...bindings.values()];
}

import type { AclEntry, DescribeAclResponse } from 'kafkajs';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
} from 'kafkajs';

import type { AclBinding, AclOperation, AclResourceType } from '../acl-binding';

const RESOURCE_TYPES: Record<AclResourceType, AclResourceTypes> = {
  topic: AclResourceTypes.TOPIC,
  group: AclResourceTypes.GROUP,
  'transactional-id': AclResourceTypes.TRANSACTIONAL_ID,
  cluster: AclResourceTypes.CLUSTER,
};

const OPERATIONS: Record<AclOperation, AclOperationTypes> = {
  READ: AclOperationTypes.READ,
  WRITE: AclOperationTypes.WRITE,
  CREATE: AclOperationTypes.CREATE,
  DESCRIBE: AclOperationTypes.DESCRIBE,
  DESCRIBE_CONFIGS: AclOperationTypes.DESCRIBE_CONFIGS,
  IDEMPOTENT_WRITE: AclOperationTypes.IDEMPOTENT_WRITE,
};

/** A binding as kafkajs' admin creates it: ALLOW, from any host. */
export function toKafkaAcl(binding: AclBinding): AclEntry {
  return {
    principal: binding.principal,
    host: '*',
    operation: OPERATIONS[binding.operation],
    permissionType: AclPermissionTypes.ALLOW,
    resourceType: RESOURCE_TYPES[binding.resourceType],
    resourceName: binding.resourceName,
    resourcePatternType:
      binding.patternType === 'prefixed'
        ? ResourcePatternTypes.PREFIXED
        : ResourcePatternTypes.LITERAL,
  };
}

/**
 * The ALLOW-from-any-host ACLs of a describeAcls answer that streamwise could have generated;
 * `others` counts the rest (DENY, a host, an operation such as ALL) it leaves alone.
 */
export function fromKafkaAcls(response: DescribeAclResponse): {
  bindings: AclBinding[];
  others: number;
} {
  const bindings: AclBinding[] = [];
  let others = 0;
  for (const resource of response.resources) {
    const resourceType = keyOf(RESOURCE_TYPES, resource.resourceType);
    const patternType =
      resource.resourcePatternType === ResourcePatternTypes.PREFIXED
        ? 'prefixed'
        : resource.resourcePatternType === ResourcePatternTypes.LITERAL
          ? 'literal'
          : undefined;
    for (const acl of resource.acls) {
      const operation = keyOf(OPERATIONS, acl.operation);
      if (
        resourceType === undefined ||
        patternType === undefined ||
        operation === undefined ||
        acl.permissionType !== AclPermissionTypes.ALLOW ||
        acl.host !== '*'
      ) {
        others++;
        continue;
      }
      bindings.push({
        principal: acl.principal,
        resourceType,
        resourceName: resource.resourceName,
        patternType,
        operation,
      });
    }
  }
  return { bindings, others };
}

function keyOf<K extends string, V>(table: Record<K, V>, value: V): K | undefined {
  return (Object.keys(table) as K[]).find((key) => table[key] === value);
}

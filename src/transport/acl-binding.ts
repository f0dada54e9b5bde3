/**
 * One Kafka ACL that allows something (streamwise never generates DENY ACLs), in the broker's own
 * terms, independent of any client library: `streamwise acls` prints these as kafka-acls.sh
 * lines or JSON, and the Kafka transport's admin applies and compares them.
 */
export interface AclBinding {
  /** e.g. "User:orders-service". */
  readonly principal: string;
  readonly resourceType: AclResourceType;
  /** The topic, group or transactional id (a prefix of it when patternType is prefixed). */
  readonly resourceName: string;
  readonly patternType: 'literal' | 'prefixed';
  readonly operation: AclOperation;
}

export type AclResourceType = 'topic' | 'group' | 'transactional-id' | 'cluster';

export type AclOperation =
  'READ' | 'WRITE' | 'CREATE' | 'DESCRIBE' | 'DESCRIBE_CONFIGS' | 'IDEMPOTENT_WRITE';

/** The resource name of the cluster, as Kafka names it in ACLs. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';

/** A stable identity of a binding, for sets and diffs. */
export function aclKey(binding: AclBinding): string {
  return [
    binding.principal,
    binding.resourceType,
    binding.patternType,
    binding.resourceName,
    binding.operation,
  ].join('|');
}

/** What `streamwise acls --apply` needs of a broker: the ACLs it holds, and creating more. */
export interface AclAdmin {
  /** The ACLs the broker holds for these principals (ALLOW from any host), and how many others. */
  held(principals: readonly string[]): Promise<{ bindings: AclBinding[]; others: number }>;
  create(bindings: readonly AclBinding[]): Promise<void>;
}

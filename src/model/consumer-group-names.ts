/**
 * The consumer groups streamwise opens besides a service's own group, named here once so the
 * code that opens them and the ACLs that allow them (topic-plan, `streamwise acls`) cannot
 * drift apart. Each is a prefix: the rest is unique per start, so a broker grants it by prefix.
 */

/** A restore reads a changelog (or a partitioned table's topic) from the start with this group. */
export function restoreGroupPrefix(topic: string): string {
  return `${topic}.restore.`;
}

/** A global table's feeder reads every partition of its topic with this group. */
export function tableFeederGroupPrefix(service: string): string {
  return `${service}.table.`;
}

/** Every instance reads the partition claims of key-routed queries with a group of its own. */
export const INSTANCE_CLAIMS_GROUP_PREFIX = 'streamwise.instances.';

/**
 * The group a replica reads its topic with: one fixed name, so the instances of a service share the
 * partitions. Its committed offsets are never used: the replica seeks to those in its database.
 */
export function replicaGroupName(service: string, table: string): string {
  return `${service}.replica.${table}`;
}

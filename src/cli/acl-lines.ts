import type { AclBinding, AclOperation } from '../transport/acl-binding';

const OPERATION_WORDS: Record<AclOperation, string> = {
  READ: 'Read',
  WRITE: 'Write',
  CREATE: 'Create',
  DESCRIBE: 'Describe',
  DESCRIBE_CONFIGS: 'DescribeConfigs',
  IDEMPOTENT_WRITE: 'IdempotentWrite',
};

/** The kafka-acls.sh resource arguments of a binding. */
function resourceArgs(binding: AclBinding): string {
  const prefixed = binding.patternType === 'prefixed' ? ' --resource-pattern-type prefixed' : '';
  switch (binding.resourceType) {
    case 'cluster':
      return '--cluster';
    case 'topic':
      return `--topic ${binding.resourceName}${prefixed}`;
    case 'group':
      return `--group ${binding.resourceName}${prefixed}`;
    case 'transactional-id':
      return `--transactional-id ${binding.resourceName}${prefixed}`;
  }
}

/**
 * One kafka-acls.sh command per binding, to review and run as an admin: `$BROKERS` and, with a
 * secured broker, `--command-config` pointing at the admin's client.properties.
 */
export function aclCommandLines(
  bindings: readonly AclBinding[],
  action: 'add' | 'remove' = 'add',
): string[] {
  return bindings.map(
    (binding) =>
      `kafka-acls.sh --bootstrap-server "$BROKERS" --${action} --allow-principal ${binding.principal} --operation ${OPERATION_WORDS[binding.operation]} ${resourceArgs(binding)}`,
  );
}

/** The bindings as JSON, with the host and permission Kafka stores with each. */
export function aclJson(bindings: readonly AclBinding[]): string {
  return JSON.stringify(
    bindings.map((binding) => ({ ...binding, host: '*', permission: 'ALLOW' })),
    null,
    2,
  );
}

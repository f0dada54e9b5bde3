import { KafkaAuthenticationError } from '../../errors/kafka-authentication-error';
import { KafkaAuthorizationError } from '../../errors/kafka-authorization-error';
import type { AuthorizationDenials } from './authorization-denials';

const ACLS_HINT =
  '`streamwise acls <services module>` prints the ACLs every service needs (and applies them with --apply, as an admin); or apply them with kafka-acls.sh or your cloud console.';

/** The authorization failures the broker answers with, in the order they are looked for. */
export const AUTHORIZATION_TYPES: readonly string[] = [
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
];

/** kafkajs' coordinator-not-found error, which hides a refused FindCoordinator request. */
const COORDINATOR_NOT_FOUND = 'KafkaJSGroupCoordinatorNotFound';

/** The authorization failure an error stands for: its own type, or a refusal kafkajs hid. */
export function authorizationType(
  error: Error,
  type: string | undefined,
  denials: AuthorizationDenials,
): string | undefined {
  if (type !== undefined && AUTHORIZATION_TYPES.includes(type)) return type;
  return error.name === COORDINATOR_NOT_FOUND ? denials.recent() : undefined;
}

export function isAuthenticationFailure(error: Error, type: string | undefined): boolean {
  return error.name === 'KafkaJSSASLAuthenticationError' || type === 'SASL_AUTHENTICATION_FAILED';
}

export function authenticationError(
  error: Error,
  action: string,
  principal: string | undefined,
): KafkaAuthenticationError {
  const who = principal ?? 'this client';
  // kafkajs' message names the mechanism and the broker's reason, never the password.
  return new KafkaAuthenticationError(
    `Kafka: cannot ${action}: the broker refused the login of ${who}: ${error.message}. Check sasl.mechanism, sasl.username and sasl.password (SCRAM users exist per mechanism: a SCRAM-SHA-256 user cannot log in with SCRAM-SHA-512).`,
    error,
  );
}

export function authorizationError(
  error: unknown,
  type: string,
  action: string,
  principal: string | undefined,
): KafkaAuthorizationError {
  const { operation, resource } = whatWasRefused(type, action);
  const who = principal ?? "this client's principal";
  return new KafkaAuthorizationError(
    `Kafka: cannot ${action}: the broker's authorizer refused it (${type}): ${who} lacks ${operation} on ${resource}${type === 'CLUSTER_AUTHORIZATION_FAILED' ? '' : ' (and DESCRIBE on it)'}. Grant it, e.g. kafka-acls.sh --add --allow-principal ${principal ?? 'User:<name>'} --operation ${operation.split(' ')[0]} ${aclTarget(type, resource)}. ${ACLS_HINT}`,
    { kafkaErrorType: type, principal, operation, resource },
    error,
  );
}

/** The operation and resource a refusal of `type` during `action` is about. */
function whatWasRefused(type: string, action: string): { operation: string; resource: string } {
  const group = /group "([^"]+)"/.exec(action)?.[1];
  switch (type) {
    case 'TOPIC_AUTHORIZATION_FAILED': {
      const producing = /^(produce|publish|send|write|commit)/.test(action);
      const match = /(?:to|from|on|of) (?:"([^"]+)"|([\w.\-, ]+)$)/.exec(action);
      const topics = (match?.[1] ?? match?.[2])?.trim();
      return {
        operation: producing ? 'WRITE' : 'READ',
        resource: topics === undefined ? 'a topic it uses' : `topic "${topics}"`,
      };
    }
    case 'GROUP_AUTHORIZATION_FAILED':
      return {
        operation: 'READ',
        resource: group === undefined ? 'its consumer group' : `group "${group}"`,
      };
    case 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED':
      return {
        operation: 'WRITE',
        resource: 'transactional id "<groupId>-..." (exactly-once uses one per input partition)',
      };
    default:
      // Reading ACLs needs DESCRIBE on the cluster, creating them ALTER (an admin's login).
      if (/ACLs$/.test(action)) {
        return {
          operation: action.startsWith('create') ? 'ALTER' : 'DESCRIBE',
          resource: 'the cluster',
        };
      }
      return {
        operation: 'IDEMPOTENT_WRITE (or CREATE, DESCRIBE_CONFIGS)',
        resource: 'the cluster',
      };
  }
}

function aclTarget(type: string, resource: string): string {
  const name = /"([^"]+)"/.exec(resource)?.[1];
  switch (type) {
    case 'TOPIC_AUTHORIZATION_FAILED':
      return `--topic ${name ?? '<topic>'}`;
    case 'GROUP_AUTHORIZATION_FAILED':
      return `--group ${name ?? '<group>'}`;
    case 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED':
      return '--transactional-id <groupId> --resource-pattern-type prefixed';
    default:
      return '--cluster';
  }
}

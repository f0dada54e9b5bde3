import { RecordTooLargeError } from '../../errors/record-too-large-error';
import { StreamwiseError } from '../../errors/streamwise-error';
import { TransportError } from '../../errors/transport-error';
import { type AuthorizationDenials, PROCESS_DENIALS } from './authorization-denials';
import {
  authenticationError,
  authorizationError,
  authorizationType,
  isAuthenticationFailure,
} from './kafka-auth-errors';

/**
 * kafkajs errors → TransportError. `retriable` follows kafkajs: its own flag on the root cause,
 * and "retries exhausted" counts as retriable (the broker may be back later), as kafkajs decides
 * whether to restart a crashed consumer; on top of that, a coordinator or leader that is not there
 * yet (TRANSIENT_TYPES, TRANSIENT_NAMES) is always retriable: a fresh broker answers so for
 * seconds.
 */

const REBALANCING_TYPES: readonly string[] = [
  'REBALANCE_IN_PROGRESS',
  'NOT_COORDINATOR_FOR_GROUP',
  'ILLEGAL_GENERATION',
];

/**
 * Answers of a broker that is starting up or moving a coordinator or a leader: they pass once the
 * broker has settled, whatever flag the error carries (kafkajs bails on some of them, e.g. when
 * its metadata is stale, and reports a coordinator it could not find as non-retriable).
 */
const TRANSIENT_TYPES: readonly string[] = [
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR_FOR_GROUP',
  'NOT_COORDINATOR',
  'GROUP_LOAD_IN_PROGRESS',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'LEADER_NOT_AVAILABLE',
];

/** kafkajs errors that mean "try again later" although kafkajs marks them final. */
const TRANSIENT_NAMES: readonly string[] = [
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSGroupCoordinatorNotFound',
];

/** What to do about broker rejections whose own message does not say it. */
const HINTS: Readonly<Record<string, string>> = {
  INVALID_TIMESTAMP:
    ' The broker only accepts timestamps within message.timestamp.before.max.ms / message.timestamp.after.max.ms of its clock (Kafka 4 defaults the latter to 1 hour); send event times that are not in the future, or raise that topic config.',
  MESSAGE_TOO_LARGE:
    " (MESSAGE_TOO_LARGE) Send smaller records, or raise the topic's max.message.bytes.",
  INVALID_RECORD: ' On a compacted topic every record needs a key (a null value is the tombstone).',
};

/** The deepest `cause` of an error chain (kafkajs wraps retried errors). */
export function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 10; depth++) {
    const next = causeOf(current);
    if (next === undefined) return current;
    current = next;
  }
  return current;
}

/** The Kafka protocol error type (e.g. "UNKNOWN_TOPIC_OR_PARTITION") anywhere in the cause chain. */
export function kafkaErrorType(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current !== undefined; depth++) {
    if (typeof current === 'object' && current !== null && 'type' in current) {
      const type = current.type;
      if (typeof type === 'string') return type;
    }
    current = causeOf(current);
  }
  return undefined;
}

/**
 * Whether repeating the operation can succeed. Authorization and login failures never can, also
 * when kafkajs hid a refused FindCoordinator behind "Failed to find group coordinator"
 * (`denials`: the refusals kafkajs logged; default: this process's).
 */
export function isRetriableKafkaError(
  error: unknown,
  denials: AuthorizationDenials = PROCESS_DENIALS,
): boolean {
  if (error instanceof StreamwiseError) return error.retriable;
  if (!(error instanceof Error)) return false;
  const type = kafkaErrorType(error);
  if (authorizationType(error, type, denials) !== undefined) return false;
  if (isAuthenticationFailure(error, type)) return false;
  if (TRANSIENT_NAMES.includes(error.name)) return true;
  if (TRANSIENT_TYPES.includes(kafkaErrorType(error) ?? '')) return true;
  const root = rootCause(error);
  return (
    typeof root === 'object' &&
    root !== null &&
    'retriable' in root &&
    typeof root.retriable === 'boolean' &&
    root.retriable
  );
}

/** The group is rebalancing (or moved): this member's assignment is gone until it re-joins. */
export function isAssignmentLostError(error: unknown): boolean {
  const type = kafkaErrorType(error);
  return type !== undefined && (REBALANCING_TYPES.includes(type) || type === 'UNKNOWN_MEMBER_ID');
}

/** Another producer initialised the same transactional id: this one is a zombie now. */
export function isFencedError(error: unknown): boolean {
  const type = kafkaErrorType(error);
  return type === 'PRODUCER_FENCED' || type === 'INVALID_PRODUCER_EPOCH';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'unknown error';
}

/**
 * Wraps anything thrown by kafkajs; streamwise's own errors pass through unchanged. A refusal of
 * the broker's authorizer becomes a KafkaAuthorizationError, a refused login a
 * KafkaAuthenticationError, both final and naming `principal` (e.g. "User:billing") when given.
 */
export function toTransportError(
  error: unknown,
  action: string,
  principal?: string,
  denials: AuthorizationDenials = PROCESS_DENIALS,
): StreamwiseError {
  if (error instanceof StreamwiseError) return error;
  if (kafkaErrorType(error) === 'MESSAGE_TOO_LARGE') {
    return new RecordTooLargeError(action, errorMessage(error), error);
  }
  if (error instanceof Error) {
    const type = kafkaErrorType(error);
    const refused = authorizationType(error, type, denials);
    if (refused !== undefined) return authorizationError(error, refused, action, principal);
    if (isAuthenticationFailure(error, type)) return authenticationError(error, action, principal);
  }
  const retriable = isRetriableKafkaError(error, denials);
  const hint =
    HINTS[kafkaErrorType(error) ?? ''] ??
    (retriable
      ? ' The broker may be restarting or unreachable; the operation can be retried.'
      : '');
  return new TransportError(`Kafka: cannot ${action}: ${errorMessage(error)}.${hint}`, {
    retriable,
    cause: error,
  });
}

/**
 * Runs a kafkajs operation; whatever it throws comes out as toTransportError(error, action,
 * principal).
 */
export async function withTransportError<T>(
  action: string,
  operation: () => Promise<T>,
  principal?: string,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toTransportError(error, action, principal);
  }
}

function causeOf(error: unknown): unknown {
  if (typeof error !== 'object' || error === null || !('cause' in error)) return undefined;
  const cause = error.cause;
  return cause === null || cause === error ? undefined : cause;
}

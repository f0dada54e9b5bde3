import { RecordTooLargeError } from '../../errors/record-too-large-error';
import { StreamwiseError } from '../../errors/streamwise-error';
import { TransportError } from '../../errors/transport-error';
import {
  authenticationError,
  AUTHORIZATION_TYPES,
  authorizationError,
} from '../kafka/kafka-auth-errors';
import { errorMessage } from '../kafka/kafka-errors';

/**
 * @platformatic/kafka errors → TransportError. Its protocol errors carry the Kafka error name
 * (`apiId`) and whether the request can be repeated (`canRetry`); several failed attempts or
 * brokers arrive as one AggregateError whose `errors` hold them.
 */

/** Answers of a broker that is starting or moving a coordinator or leader: they pass. */
const TRANSIENT_TYPES: readonly string[] = [
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'NOT_LEADER_OR_FOLLOWER',
  'LEADER_NOT_AVAILABLE',
  'REBALANCE_IN_PROGRESS',
];

/** The client's own codes for "the broker did not answer (in time)": later it may. */
const TRANSIENT_CODES: readonly string[] = ['PLT_KFK_NETWORK', 'PLT_KFK_TIMEOUT'];

const HINTS: Readonly<Record<string, string>> = {
  INVALID_TIMESTAMP:
    ' The broker only accepts timestamps within message.timestamp.before.max.ms / message.timestamp.after.max.ms of its clock (Kafka 4 defaults the latter to 1 hour); send event times that are not in the future, or raise that topic config.',
  INVALID_RECORD: ' On a compacted topic every record needs a key (a null value is the tombstone).',
};

/** Every error of the chain: the error, its causes and the members of aggregates. */
function chain(error: unknown, depth = 0): unknown[] {
  if (typeof error !== 'object' || error === null || depth > 6) return [];
  const found: unknown[] = [error];
  if ('errors' in error && Array.isArray(error.errors)) {
    for (const inner of error.errors as unknown[]) found.push(...chain(inner, depth + 1));
  }
  if ('cause' in error && error.cause !== error) found.push(...chain(error.cause, depth + 1));
  return found;
}

function stringField(error: unknown, field: string): string | undefined {
  if (typeof error !== 'object' || error === null || !(field in error)) return undefined;
  const value = (error as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

/** The Kafka protocol error name (e.g. "UNKNOWN_TOPIC_OR_PARTITION") anywhere in the chain. */
export function platformaticErrorType(error: unknown): string | undefined {
  for (const part of chain(error)) {
    const type = stringField(part, 'apiId');
    if (type !== undefined) return type;
  }
  return undefined;
}

/**
 * The client's metadata call answers UNKNOWN_TOPIC_OR_PARTITION with an error of its own that
 * keeps neither the Kafka error nor a cause, only this message.
 */
export function isUnknownTopicAnswer(error: unknown): boolean {
  return error instanceof Error && /^Unknown topic .*\.$/.test(error.message);
}

export function isRetriablePlatformaticError(error: unknown): boolean {
  if (error instanceof StreamwiseError) return error.retriable;
  return chain(error).some((part) => {
    const type = stringField(part, 'apiId');
    if (type !== undefined) {
      return TRANSIENT_TYPES.includes(type) || (part as { canRetry?: unknown }).canRetry === true;
    }
    return TRANSIENT_CODES.includes(stringField(part, 'code') ?? '');
  });
}

function isAuthenticationFailure(error: unknown): boolean {
  return chain(error).some(
    (part) =>
      stringField(part, 'code') === 'PLT_KFK_AUTHENTICATION' ||
      stringField(part, 'apiId') === 'SASL_AUTHENTICATION_FAILED',
  );
}

/**
 * Wraps anything the client throws; streamwise's own errors pass through. Refusals of the
 * authorizer and of a login become the same named errors as on the kafkajs transport.
 */
export function toPlatformaticTransportError(
  error: unknown,
  action: string,
  principal?: string,
): StreamwiseError {
  if (error instanceof StreamwiseError) return error;
  const type = platformaticErrorType(error);
  if (type === 'MESSAGE_TOO_LARGE') {
    return new RecordTooLargeError(action, errorMessage(error), error);
  }
  const cause = error instanceof Error ? error : new Error(errorMessage(error));
  if (type !== undefined && AUTHORIZATION_TYPES.includes(type)) {
    return authorizationError(cause, type, action, principal);
  }
  if (isAuthenticationFailure(error)) return authenticationError(cause, action, principal);
  const certificate = certificateFailure(error);
  if (certificate !== undefined) {
    // The client reports it as a failed connection, which would be waited out as a broker
    // still starting; the same certificate is refused again, so it is final.
    return new TransportError(
      `Kafka: cannot ${action}: the broker's TLS certificate was refused (${certificate}). Give ssl.ca the CA that signed it (ssl: true trusts only the system's CAs), or check ssl.servername.`,
      { retriable: false, cause: error },
    );
  }
  const retriable = isRetriablePlatformaticError(error);
  const detail = [errorMessage(error), ...innerMessages(error)].join(': ');
  const hint =
    HINTS[type ?? ''] ??
    (retriable
      ? ' The broker may be restarting or unreachable; the operation can be retried.'
      : '');
  return new TransportError(`Kafka: cannot ${action}: ${detail}.${hint}`, {
    retriable,
    cause: error,
  });
}

/** Node's TLS verification codes (SELF_SIGNED_CERT_IN_CHAIN, ERR_TLS_CERT_ALTNAME_INVALID, …). */
const CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|^ERR_TLS_/;

function certificateFailure(error: unknown): string | undefined {
  for (const part of chain(error)) {
    const code = stringField(part, 'code');
    if (code !== undefined && CERTIFICATE_CODE.test(code)) return errorMessage(part);
  }
  return undefined;
}

/** An aggregate's own message ("Cannot connect to any broker.") hides what each part said. */
function innerMessages(error: unknown): string[] {
  if (typeof error !== 'object' || error === null || !('errors' in error)) return [];
  if (!Array.isArray(error.errors)) return [];
  return [...new Set((error.errors as unknown[]).map((inner) => errorMessage(inner)))];
}

export async function withPlatformaticError<T>(
  action: string,
  operation: () => Promise<T>,
  principal?: string,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toPlatformaticTransportError(error, action, principal);
  }
}

import {
  KafkaJSGroupCoordinatorNotFound,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSSASLAuthenticationError,
  logLevel,
} from 'kafkajs';

import { KafkaAuthenticationError } from '../../errors/kafka-authentication-error';
import { KafkaAuthorizationError } from '../../errors/kafka-authorization-error';
import { TransportError } from '../../errors/transport-error';
import { SilentLogger } from '../../logging/silent-logger';
import { AuthorizationDenials } from './authorization-denials';
import { isRetriableKafkaError, toTransportError } from './kafka-errors';
import { kafkaLogCreator } from './kafka-log-adapter';

/** kafkajs' typings give these classes no constructor arguments; at run time they take a message. */
const kafkajsError = (type: unknown, message: string): Error =>
  new (type as new (message: string) => Error)(message);

const denied = (type: string, message: string) =>
  Object.assign(new KafkaJSProtocolError(message), { type, retriable: false });

describe('authorization and authentication failures', () => {
  it.each([
    ['TOPIC_AUTHORIZATION_FAILED', 'produce to orders', /lacks WRITE on topic "orders"/],
    [
      'TOPIC_AUTHORIZATION_FAILED',
      'subscribe group "billing" to orders',
      /lacks READ on topic "orders"/,
    ],
    [
      'GROUP_AUTHORIZATION_FAILED',
      'subscribe group "billing" to orders',
      /READ on group "billing"/,
    ],
    ['TRANSACTIONAL_ID_AUTHORIZATION_FAILED', 'commit a transaction', /WRITE on transactional id/],
    ['CLUSTER_AUTHORIZATION_FAILED', 'connect to 127.0.0.1:9092', /on the cluster/],
    ['CLUSTER_AUTHORIZATION_FAILED', 'describe ACLs', /lacks DESCRIBE on the cluster/],
    ['CLUSTER_AUTHORIZATION_FAILED', 'create ACLs', /lacks ALTER on the cluster/],
  ])(
    'makes %s while trying to %s a named, final error saying what to grant',
    (type, action, what) => {
      const error = toTransportError(denied(type, 'Not authorized'), action, 'User:billing');
      expect(error).toBeInstanceOf(KafkaAuthorizationError);
      expect(error.retriable).toBe(false);
      expect(isRetriableKafkaError(denied(type, 'x'))).toBe(false);
      expect(error.message).toMatch(what);
      expect(error.message).toContain('User:billing');
      expect(error.message).toContain(type);
      expect(error.message).toContain('streamwise acls <services module>');
      expect(error.message).not.toMatch(/coordinator/i);
      expect((error as KafkaAuthorizationError).kafkaErrorType).toBe(type);
    },
  );

  it('finds an authorization failure under kafkajs retry wrappers', () => {
    const wrapped = new KafkaJSNumberOfRetriesExceeded(
      denied('TOPIC_AUTHORIZATION_FAILED', 'Not authorized to access topics'),
      { retryCount: 5, retryTime: 100 },
    );
    expect(toTransportError(wrapped, 'produce to orders')).toBeInstanceOf(KafkaAuthorizationError);
    expect(isRetriableKafkaError(wrapped)).toBe(false);
  });

  it('names a refused login as an authentication error that never shows the password', () => {
    const refused = kafkajsError(
      KafkaJSSASLAuthenticationError,
      'SASL SCRAM SHA256 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256',
    );
    const error = toTransportError(refused, 'connect to 127.0.0.1:9092', 'User:billing');
    expect(error).toBeInstanceOf(KafkaAuthenticationError);
    expect(error.retriable).toBe(false);
    expect(error.message).toMatch(/refused the login of User:billing/);
    expect(error.message).toMatch(/sasl\.(username|password)/);
    expect(isRetriableKafkaError(refused)).toBe(false);
  });

  it('tells a coordinator the broker refused to name apart from one not elected yet', () => {
    const denials = new AuthorizationDenials();
    const notFound = kafkajsError(
      KafkaJSGroupCoordinatorNotFound,
      'Failed to find group coordinator',
    );
    expect(toTransportError(notFound, 'join group "billing"', undefined, denials)).toBeInstanceOf(
      TransportError,
    );
    expect(isRetriableKafkaError(notFound, denials)).toBe(true);

    // What kafkajs logs (at ERROR, whatever the configured level) when FindCoordinator is refused.
    const log = kafkaLogCreator(new SilentLogger(), denials)(logLevel.NOTHING);
    log({
      namespace: 'Connection',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: {
        timestamp: '',
        logger: 'kafkajs',
        message: 'Response GroupCoordinator(key: 10, version: 2)',
        error: 'Not authorized to access group: Group authorization failed',
      },
    });
    const error = toTransportError(
      notFound,
      'subscribe group "billing" to orders',
      'User:billing',
      denials,
    );
    expect(error).toBeInstanceOf(KafkaAuthorizationError);
    expect(error.message).toMatch(/User:billing lacks READ on group "billing"/);
    expect(error.message).not.toMatch(/Failed to find group coordinator/);
    expect(isRetriableKafkaError(notFound, denials)).toBe(false);
  });
});

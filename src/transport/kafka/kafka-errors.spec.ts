import {
  KafkaJSGroupCoordinatorNotFound,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';

import { TransportError } from '../../errors/transport-error';
import { UnknownTopicError } from '../../errors/unknown-topic-error';
import {
  isAssignmentLostError,
  isRetriableKafkaError,
  kafkaErrorType,
  toTransportError,
} from './kafka-errors';

const protocolError = (type: string, retriable: boolean) =>
  Object.assign(new KafkaJSProtocolError('broker said no'), { type, retriable });

describe('kafka error mapping', () => {
  it('takes retriable from the root cause, and treats exhausted retries as retriable', () => {
    expect(isRetriableKafkaError(protocolError('LEADER_NOT_AVAILABLE', true))).toBe(true);
    expect(isRetriableKafkaError(protocolError('INVALID_RECORD', false))).toBe(false);
    const wrapped = Object.assign(new KafkaJSNonRetriableError('outer'), {
      cause: protocolError('NOT_LEADER_FOR_PARTITION', true),
    });
    expect(isRetriableKafkaError(wrapped)).toBe(true);
    const exhausted = new KafkaJSNumberOfRetriesExceeded(new Error('gave up'), {
      retryCount: 5,
      retryTime: 100,
    });
    expect(isRetriableKafkaError(exhausted)).toBe(true);
    expect(isRetriableKafkaError(new Error('plain'))).toBe(false);
  });

  it('finds the protocol error type anywhere in the cause chain', () => {
    const inner = protocolError('REBALANCE_IN_PROGRESS', true);
    const outer = new Error('outer', { cause: inner });
    expect(kafkaErrorType(outer)).toBe('REBALANCE_IN_PROGRESS');
    expect(isAssignmentLostError(outer)).toBe(true);
    expect(isAssignmentLostError(protocolError('UNKNOWN_MEMBER_ID', true))).toBe(true);
    expect(isAssignmentLostError(protocolError('LEADER_NOT_AVAILABLE', true))).toBe(false);
  });

  it('wraps kafkajs errors in TransportError with the action, a hint and the cause', () => {
    const cause = protocolError('INVALID_TIMESTAMP', false);
    const error = toTransportError(cause, 'produce to "t"');
    expect(error).toBeInstanceOf(TransportError);
    expect(error.retriable).toBe(false);
    expect(error.message).toMatch(/^Kafka: cannot produce to "t": broker said no\./);
    expect(error.message).toMatch(/message\.timestamp\.after\.max\.ms/);
    expect(error.cause).toBe(cause);
    const retriable = toTransportError(protocolError('LEADER_NOT_AVAILABLE', true), 'list topics');
    expect(retriable.retriable).toBe(true);
    expect(retriable.message).toMatch(/can be retried/);
  });

  it('passes streamwise errors through unchanged', () => {
    const error = new UnknownTopicError('t');
    expect(toTransportError(error, 'x')).toBe(error);
  });
});

describe('errors a broker that is starting up answers', () => {
  it('classes a group coordinator not found yet as retriable', () => {
    const notFound = new (KafkaJSGroupCoordinatorNotFound as new (message: string) => Error)(
      'Failed to find group coordinator',
    );
    expect(isRetriableKafkaError(notFound)).toBe(true);
    expect(toTransportError(notFound, 'subscribe group "g"').retriable).toBe(true);
  });

  it('classes coordinator and leader moves as retriable even when kafkajs bailed on them', () => {
    for (const type of [
      'GROUP_COORDINATOR_NOT_AVAILABLE',
      'NOT_COORDINATOR_FOR_GROUP',
      'GROUP_LOAD_IN_PROGRESS',
      'NOT_LEADER_FOR_PARTITION',
      'LEADER_NOT_AVAILABLE',
    ]) {
      const cause = protocolError(type, false);
      // As kafkajs' retrier bails: the protocol error as message and cause.
      const bailed = Object.assign(new KafkaJSNonRetriableError(cause), { cause });
      expect([type, isRetriableKafkaError(bailed)]).toEqual([type, true]);
    }
    expect(
      isRetriableKafkaError(new KafkaJSNonRetriableError(protocolError('INVALID_RECORD', false))),
    ).toBe(false);
  });
});

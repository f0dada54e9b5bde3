import type { FastifyReply } from 'fastify';

import { NotFoundError } from '../errors/not-found-error';
import type { RelayedResponse } from './forward-request';
import type { HttpError } from './http-error';
import { errorBody } from './http-error';
import { headerSafeLocation } from './location';
import { QueryResult } from './query-result';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Sends what a @Query method returned: a QueryResult as its status, undefined as a 404 (saying
 * `notFound`), anything else as JSON with 200. Serializes first, so a value JSON cannot represent
 * (a BigInt, a cycle) throws before anything is written.
 */
export function sendQueryResult(reply: FastifyReply, result: unknown, notFound: string): void {
  if (result === undefined) throw new NotFoundError(notFound);
  if (!(result instanceof QueryResult)) {
    sendJson(reply, 200, result);
    return;
  }
  if (result.location !== undefined) reply.header('location', headerSafeLocation(result.location));
  if (result.status === 204 || result.body === undefined) {
    reply.code(result.status).send();
    return;
  }
  sendJson(reply, result.status, result.body);
}

export function sendJson(reply: FastifyReply, status: number, value: unknown): void {
  const text: unknown = JSON.stringify(value);
  if (typeof text !== 'string') {
    throw new TypeError(`a query returned ${typeof value}, which has no JSON form`);
  }
  reply.code(status).header('content-type', JSON_TYPE).send(text);
}

export function sendHttpError(reply: FastifyReply, error: HttpError): void {
  // Headers set for a success (location) must not survive on an error answer.
  reply.removeHeader('location');
  reply.headers(error.headers);
  sendJson(reply, error.status, errorBody(error.error));
}

export function sendRelayed(reply: FastifyReply, relayed: RelayedResponse): void {
  reply.code(relayed.status).headers(relayed.headers);
  if (relayed.body.length === 0) reply.send();
  else reply.send(relayed.body);
}

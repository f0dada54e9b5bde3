import type { FastifyInstance, FastifyRequest } from 'fastify';

import { BadRequestError } from '../errors/bad-request-error';
import { nonFiniteNumberPaths, nonFiniteNumbersText } from '../model/topics/non-finite-numbers';

/** The text of each JSON body as received, so a forwarded request carries it byte for byte. */
const rawBodies = new WeakMap<FastifyRequest, string>();

/**
 * Replaces fastify's JSON parser with one whose error tells the caller what to send, treats an
 * empty body as no body, and keeps the raw text for forwarding.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (
      request: FastifyRequest,
      text: string,
      done: (error: Error | null, body?: unknown) => void,
    ) => {
      rawBodies.set(request, text);
      if (text.trim() === '') {
        done(null, undefined);
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        done(
          new BadRequestError(
            `The request body is not valid JSON (${reason}). Send a JSON document with content-type: application/json, or no body at all.`,
            error,
          ),
        );
        return;
      }
      const nonFinite = nonFiniteNumberPaths(body);
      if (nonFinite.length > 0) {
        // JSON.parse reads 1e400 as Infinity; written back it would become null, so refuse it here.
        done(new BadRequestError(`The request body has ${nonFiniteNumbersText(nonFinite)}.`));
        return;
      }
      done(null, body);
    },
  );
}

/** The body as received: the JSON text, or a text/plain body; undefined when there was none. */
export function rawBodyOf(request: FastifyRequest): string | undefined {
  return rawBodies.get(request) ?? (typeof request.body === 'string' ? request.body : undefined);
}

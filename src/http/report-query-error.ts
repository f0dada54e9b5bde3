import type { FastifyReply } from 'fastify';

import { ErrorCodes } from '../errors/error-codes';
import type { Logger } from '../logging/logger';
import type { HttpError } from './http-error';
import { sendHttpError } from './send-reply';

/**
 * Logs a refused or failed query at the level it deserves (a bug at error, an unanswered request
 * at warn, a caller's mistake or an expected timeout at debug) and answers it, unless an answer
 * already went out.
 */
export function reportQueryError(
  logger: Logger,
  reply: FastifyReply,
  mapped: HttpError,
  context: Readonly<Record<string, string>>,
  original?: unknown,
): void {
  const fields = { ...context, status: mapped.status, code: mapped.error.code };
  const expected = mapped.status === 504 || mapped.error.code === ErrorCodes.QUERY_ABORTED;
  if (mapped.status === 500) {
    logger.error('query failed', { ...fields, error: original ?? mapped.error });
  } else if (mapped.status > 500 && !expected) {
    logger.warn('query not answered', { ...fields, message: mapped.error.message });
  } else {
    logger.debug('query refused', { ...fields, message: mapped.error.message });
  }
  if (!reply.sent) sendHttpError(reply, mapped);
}

import { BadRequestError } from '../errors/bad-request-error';
import { ErrorCodes } from '../errors/error-codes';
import { HolderUnavailableError } from '../errors/holder-unavailable-error';
import { NotFoundError } from '../errors/not-found-error';
import { QueryAbortedError } from '../errors/query-aborted-error';
import { QueryFailedError } from '../errors/query-failed-error';
import { QueryTimeoutError } from '../errors/query-timeout-error';
import { StreamwiseError } from '../errors/streamwise-error';
import { TableWaitTimeoutError } from '../errors/table-wait-timeout-error';
import { TransportError } from '../errors/transport-error';
import { toFrameworkHttpError, toHttpError } from './http-error';

const cause = new Error('underlying');

describe.each([
  {
    error: new NotFoundError('Order "42" does not exist.'),
    name: 'NotFoundError',
    code: ErrorCodes.NOT_FOUND,
    retriable: false,
    mentions: ['Order "42" does not exist.'],
  },
  {
    error: new BadRequestError('quantity must be positive'),
    name: 'BadRequestError',
    code: ErrorCodes.BAD_REQUEST,
    retriable: false,
    mentions: ['quantity must be positive'],
  },
  {
    error: new QueryTimeoutError(250),
    name: 'QueryTimeoutError',
    code: ErrorCodes.QUERY_TIMEOUT,
    retriable: true,
    mentions: ['within 250 ms', '?timeout=<ms>'],
  },
  {
    error: new QueryAbortedError('the client disconnected', cause),
    name: 'QueryAbortedError',
    code: ErrorCodes.QUERY_ABORTED,
    retriable: true,
    mentions: ['the client disconnected', 'Send it again'],
  },
  {
    error: new QueryFailedError(cause),
    name: 'QueryFailedError',
    code: ErrorCodes.QUERY_FAILED,
    retriable: false,
    mentions: ['internal error; see the service log'],
  },
  {
    error: new HolderUnavailableError('orders-service', 'orders', 3, 'Nobody holds it', cause),
    name: 'HolderUnavailableError',
    code: ErrorCodes.HOLDER_UNAVAILABLE,
    retriable: true,
    mentions: [
      'No instance holding the partition is reachable; retry.',
      'Nobody holds it',
      '"orders-service"',
      'orders[3]',
    ],
  },
])('$name', ({ error, name, code, retriable, mentions }) => {
  it('is a named StreamwiseError with its code and retriability', () => {
    expect(error).toBeInstanceOf(StreamwiseError);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.retriable).toBe(retriable);
  });

  it('says what went wrong and what to do', () => {
    for (const text of mentions) expect(error.message).toContain(text);
  });
});

describe('query error causes', () => {
  it('keeps the cause where one is given', () => {
    expect(new QueryFailedError(cause).cause).toBe(cause);
    expect(new QueryAbortedError('x', cause).cause).toBe(cause);
    expect(new BadRequestError('x', cause).cause).toBe(cause);
    expect(new HolderUnavailableError('s', 't', 0, 'p', cause).cause).toBe(cause);
  });
});

describe('toHttpError', () => {
  it('maps a TableWaitTimeoutError (a view waited on too long) to 504', () => {
    expect(toHttpError(new TableWaitTimeoutError('orders', '42', 100)).status).toBe(504);
  });

  it('maps a non-streamwise error to a QueryFailedError that keeps it as cause', () => {
    const mapped = toHttpError(cause);
    expect(mapped.status).toBe(500);
    expect(mapped.error).toBeInstanceOf(QueryFailedError);
    expect(mapped.error.cause).toBe(cause);
  });

  it('adds Retry-After to 503s only', () => {
    expect(toHttpError(new TransportError('x', { retriable: true })).headers).toEqual({
      'retry-after': '1',
    });
    expect(toHttpError(new QueryTimeoutError(1)).headers).toEqual({});
  });
});

describe('toFrameworkHttpError', () => {
  it("keeps the status and message of fastify's own client errors", () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413 });
    const mapped = toFrameworkHttpError(tooLarge);
    expect(mapped.status).toBe(413);
    expect(mapped.error.code).toBe(ErrorCodes.BAD_REQUEST);
    expect(mapped.error.message).toBe('Request body is too large');
  });

  it('hides a framework error that is not a client error', () => {
    const broken = Object.assign(new Error('socket exploded'), { statusCode: 500 });
    const mapped = toFrameworkHttpError(broken);
    expect(mapped.status).toBe(500);
    expect(mapped.error.message).toBe('internal error; see the service log');
  });
});

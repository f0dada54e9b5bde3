import { TableStoreLockedError } from '../state/tables/table-store-locked-error';
import { AppStateError } from './app-state-error';
import { ConfigurationError } from './configuration-error';
import { DrainDidNotSettleError } from './drain-did-not-settle-error';
import { ErrorCodes } from './error-codes';
import { STREAMWISE_ERROR_BRAND, StreamwiseError } from './streamwise-error';
import { TransportError } from './transport-error';

/** What another copy of the package would throw: a different class, the same brand and code. */
class ConfigurationErrorOfAnotherCopy extends Error {
  readonly code = 'SW_CONFIGURATION';
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
    Object.defineProperty(this, Symbol.for('streamwise.error'), {
      value: ['StreamwiseError', 'ConfigurationError'],
    });
  }
}

describe('StreamwiseError.is', () => {
  it('recognises an error thrown by another copy of the package, where instanceof fails', () => {
    const foreign: unknown = new ConfigurationErrorOfAnotherCopy('brokers must not be empty');
    expect(foreign instanceof ConfigurationError).toBe(false);
    expect(ConfigurationError.is(foreign)).toBe(true);
    expect(StreamwiseError.is(foreign)).toBe(true);
    expect(AppStateError.is(foreign)).toBe(false);
    expect(TransportError.is(foreign)).toBe(false);
  });

  it('narrows the type, so the fields can be read without a cast', () => {
    const caught: unknown = new TransportError('broker down', { retriable: true });
    if (!TransportError.is(caught)) throw new Error('not recognised');
    expect(caught.retriable).toBe(true);
    expect(caught.code).toBe(ErrorCodes.TRANSPORT);
  });

  it('counts a subclass as its parent, as instanceof does', () => {
    const locked = new TableStoreLockedError('/tmp/x', 'pid 42');
    expect(ConfigurationError.is(locked)).toBe(true);
    expect(TableStoreLockedError.is(locked)).toBe(true);
    expect(TableStoreLockedError.is(new ConfigurationError('other'))).toBe(false);
  });

  it('checks the class, not only the code: two classes may share a code', () => {
    const drain = new DrainDidNotSettleError(10);
    expect(drain.code).toBe(AppStateError.code);
    expect(AppStateError.is(drain)).toBe(false);
    expect(DrainDidNotSettleError.is(drain)).toBe(true);
  });

  it('checks the code: a branded lineage with another code is not the class', () => {
    const forged = Object.assign(new Error('x'), { code: 'SW_TRANSPORT' });
    Object.defineProperty(forged, STREAMWISE_ERROR_BRAND, {
      value: ['StreamwiseError', 'ConfigurationError'],
    });
    expect(ConfigurationError.is(forged)).toBe(false);
    expect(StreamwiseError.is(forged)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'ConfigurationError'],
    ['a plain Error', new Error('boom')],
    [
      'an unbranded look-alike',
      Object.assign(new Error('x'), { name: 'ConfigurationError', code: 'SW_CONFIGURATION' }),
    ],
  ])('rejects %s', (_, value) => {
    expect(StreamwiseError.is(value)).toBe(false);
    expect(ConfigurationError.is(value)).toBe(false);
  });

  it('keeps the brand out of enumeration, so logs and equality see the same fields as before', () => {
    const error = new ConfigurationError('x');
    expect(Object.getOwnPropertySymbols(error)).toEqual([STREAMWISE_ERROR_BRAND]);
    expect(Object.keys(error)).not.toContain(String(STREAMWISE_ERROR_BRAND));
    expect(JSON.stringify({ ...error })).not.toContain('streamwise.error');
  });
});

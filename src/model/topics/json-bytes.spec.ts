import { NonFiniteNumbersError, toJsonBytes } from './json-bytes';

describe('toJsonBytes', () => {
  it('writes finite values as UTF-8 JSON, nulls included', () => {
    expect(toJsonBytes({ a: 1, b: null, c: ['x', 2.5] }).toString('utf8')).toBe(
      '{"a":1,"b":null,"c":["x",2.5]}',
    );
  });

  it('refuses Infinity and NaN by path instead of writing them as null', () => {
    const attempt = (): Buffer => toJsonBytes({ q: Infinity, list: [1, NaN], ok: null });
    expect(attempt).toThrow(NonFiniteNumbersError);
    expect(attempt).toThrow('/q is Infinity, /list/1 is NaN');
  });

  it('refuses a value JSON has no text for', () => {
    expect(() => toJsonBytes(undefined)).toThrow('undefined cannot be written as JSON');
  });
});

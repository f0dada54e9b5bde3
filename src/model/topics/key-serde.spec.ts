import { textKeySerde } from './key-serde';

describe('textKeySerde', () => {
  it('writes string keys as UTF-8', () => {
    const serde = textKeySerde<string>('string');
    expect([...serde.serialize('ké€😀')]).toEqual([...Buffer.from('ké€😀', 'utf8')]);
    expect(serde.deserialize(Buffer.from('ké€😀', 'utf8'))).toBe('ké€😀');
  });

  it.each([
    [42, '42'],
    [-7, '-7'],
    [0, '0'],
    [3.5, '3.5'],
    [9007199254740991, '9007199254740991'],
  ])('writes the number %p as the decimal text %p and reads it back as a number', (key, text) => {
    const serde = textKeySerde<number>('number');
    const bytes = serde.serialize(key);
    expect(bytes.toString('utf8')).toBe(text);
    const back = serde.deserialize(bytes);
    expect(typeof back).toBe('number');
    expect(back).toBe(key);
  });

  it('reads numeric-looking text back as a string when keys are strings', () => {
    const serde = textKeySerde<string>('string');
    expect(serde.deserialize(Buffer.from('42'))).toBe('42');
  });
});

import { DeadLetterHeaderNames, deadLetterTopicName, HeaderNames } from './header-names';

describe('header names', () => {
  it('prefixes every streamwise header with sw- and never reuses a name', () => {
    const names = [...Object.values(HeaderNames), ...Object.values(DeadLetterHeaderNames)];
    for (const name of names) expect(name).toMatch(/^sw-[a-z-]+$/);
    expect(new Set(names).size).toBe(names.length);
  });

  it('names the dead-letter topic <topic>.dlq', () => {
    expect(deadLetterTopicName('orders')).toBe('orders.dlq');
  });
});

import { eventId, uniqueEventId } from './event-id';

describe('eventId', () => {
  it('is <service>-<Entity>-<entityId>-v<version>', () => {
    expect(eventId('orders-service', 'Order', '1234', 3)).toBe('orders-service-Order-1234-v3');
  });

  it('keeps dashes inside the entity id as they are', () => {
    expect(eventId('billing-service', 'Receipt', 'r-9', 1)).toBe('billing-service-Receipt-r-9-v1');
  });
});

describe('uniqueEventId', () => {
  it('is eventId followed by a 26-character ULID whose first ten name the millisecond', () => {
    const id = uniqueEventId('orders-service', 'Order', '1234', 1, 0);
    expect(id).toMatch(/^orders-service-Order-1234-v1-0000000000[0-9A-HJKMNP-TV-Z]{16}$/);
  });

  it('never repeats, and sorts in publishing order', () => {
    const ids = Array.from({ length: 1_000 }, (_, index) =>
      uniqueEventId('s', 'E', 'k', 1, 1_700_000_000_000 + Math.floor(index / 100)),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

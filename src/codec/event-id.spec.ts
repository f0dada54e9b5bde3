import { eventId, eventSuffix, uniqueEventId } from './event-id';

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

  it('never repeats when timestamps alternate, so that most ids draw a fresh random part', () => {
    // 3,000 draws go through the random pool (256 per refill) several times over.
    const ids = Array.from({ length: 3_000 }, (_, index) =>
      eventSuffix(1_700_000_000_000 + (index % 2)),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(10, 25))).size).toBe(ids.length);
  });
});

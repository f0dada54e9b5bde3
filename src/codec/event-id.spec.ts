import { eventId } from './event-id';

describe('eventId', () => {
  it('is <service>-<Entity>-<entityId>-v<version>', () => {
    expect(eventId('orders-service', 'Order', '1234', 3)).toBe('orders-service-Order-1234-v3');
  });

  it('keeps dashes inside the entity id as they are', () => {
    expect(eventId('billing-service', 'Receipt', 'r-9', 1)).toBe('billing-service-Receipt-r-9-v1');
  });
});

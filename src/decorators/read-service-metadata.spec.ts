import { readServiceMetadata } from './read-service-metadata';
import { Service } from './service';

describe('readServiceMetadata', () => {
  @Service('parent-service', { exactlyOnce: true })
  class ParentService {}

  it('returns the name and options of a @Service class', () => {
    expect(readServiceMetadata(ParentService)).toEqual({
      name: 'parent-service',
      options: { exactlyOnce: true },
    });
  });

  it('returns undefined for an undecorated class', () => {
    class Plain {}
    expect(readServiceMetadata(Plain)).toBeUndefined();
  });

  it('does not inherit: a subclass without its own @Service has none', () => {
    class Child extends ParentService {}
    expect(readServiceMetadata(Child)).toBeUndefined();
    expect(readServiceMetadata(ParentService)?.name).toBe('parent-service');
  });

  it('reads only the class, not its prototype or instances', () => {
    expect(readServiceMetadata(ParentService.prototype)).toBeUndefined();
    expect(readServiceMetadata(new ParentService())).toBeUndefined();
  });
});

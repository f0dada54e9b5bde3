import { misuse } from '../../test/support/misuse';
import { ErrorCodes } from '../errors/error-codes';
import type { ServiceOptions } from '../model/service/service-options';
import { readServiceMetadata } from './read-service-metadata';
import { Service } from './service';

describe('@Service', () => {
  describe('rejects a name that is not kebab-case', () => {
    it.each([
      ['uppercase', 'Orders-Service'],
      ['spaces', 'orders service'],
      ['empty', ''],
      ['too long (101 characters)', 'a'.repeat(101)],
      ['a single character', 'a'],
      ['a leading digit', '1orders'],
      ['a leading dash', '-orders'],
      ['a trailing dash', 'orders-'],
      ['an underscore', 'orders_service'],
      ['a dot', 'orders.service'],
    ])('%s', (_label, name) => {
      const error = misuse(() => {
        @Service(name)
        class OrdersService {}
        return OrdersService;
      });
      expect(error.code).toBe(ErrorCodes.DECORATOR_MISUSE);
      expect(error.className).toBe('OrdersService');
      expect(error.member).toBeUndefined();
      expect(error.message).toContain('@Service on OrdersService:');
      expect(error.message).toContain(`name ${JSON.stringify(name)} must be kebab-case`);
    });
  });

  it('rejects a name that is not a string', () => {
    const error = misuse(() => {
      @Service(42 as unknown as string)
      class NumberNamed {}
      return NumberNamed;
    });
    expect(error.className).toBe('NumberNamed');
    expect(error.message).toContain('name 42 must be kebab-case');
  });

  it.each([
    ['the shortest name (2 characters)', 'ab'],
    ['the longest name (100 characters)', 'a'.repeat(100)],
    ['digits and dashes', 'orders-v2-service'],
  ])('accepts %s', (_label, name) => {
    @Service(name)
    class Accepted {}
    expect(readServiceMetadata(Accepted)).toEqual({ name, options: {} });
  });

  it('rejects being applied twice to one class, naming the class', () => {
    const error = misuse(() => {
      @Service('orders-service')
      @Service('orders-service')
      class TwiceDecorated {}
      return TwiceDecorated;
    });
    expect(error.className).toBe('TwiceDecorated');
    expect(error.member).toBeUndefined();
    expect(error.message).toBe('@Service on TwiceDecorated: is applied twice; keep one.');
  });

  it.each<[string, ServiceOptions, string]>([
    [
      'startFrom',
      { startFrom: 'beginning' as unknown as 'earliest' },
      "startFrom must be 'earliest' or 'latest'.",
    ],
    [
      'onForeignProducer',
      { onForeignProducer: 'drop' as unknown as 'warn' },
      "onForeignProducer must be 'dead-letter' or 'warn'.",
    ],
    [
      'exactlyOnce',
      { exactlyOnce: 'yes' as unknown as boolean },
      'exactlyOnce must be true or false.',
    ],
    [
      'concurrency',
      { concurrency: { perPartition: 0 } },
      'concurrency.perPartition must be a whole number from 1 to 1000 (records of one partition handled at once); got 0.',
    ],
    [
      'concurrency',
      { concurrency: { perPartition: 2.5 } },
      'concurrency.perPartition must be a whole number from 1 to 1000 (records of one partition handled at once); got 2.5.',
    ],
  ])('rejects a bad %s option', (_label, options, problem) => {
    const error = misuse(() => {
      @Service('orders-service', options)
      class BadOptions {}
      return BadOptions;
    });
    expect(error.className).toBe('BadOptions');
    expect(error.message).toBe(`@Service on BadOptions: ${problem}`);
  });

  it('records the name and a copy of the options', () => {
    const options: { startFrom: 'latest'; exactlyOnce: boolean } = {
      startFrom: 'latest',
      exactlyOnce: true,
    };
    @Service('orders-service', options)
    class OrdersService {}
    options.exactlyOnce = false;
    expect(readServiceMetadata(OrdersService)).toEqual({
      name: 'orders-service',
      options: { startFrom: 'latest', exactlyOnce: true },
    });
  });

  it('lets a subclass declare its own @Service without it counting as applied twice', () => {
    @Service('base-service')
    class BaseService {}
    @Service('derived-service')
    class DerivedService extends BaseService {}
    expect(readServiceMetadata(DerivedService)?.name).toBe('derived-service');
    expect(readServiceMetadata(BaseService)?.name).toBe('base-service');
  });
});

describe('@Service retry options', () => {
  it.each<[string, ServiceOptions['retry']]>([
    ['attempts 0', { attempts: 0 }],
    ['a negative delay', { initialDelayMs: -1 }],
    ['a multiplier below 1', { multiplier: 0.5 }],
    ['a cap below the first delay', { initialDelayMs: 500, maxDelayMs: 100 }],
  ])('rejects %s', (_label, retry) => {
    const error = misuse(() => {
      @Service('orders-service', { retry })
      class Orders {}
      return Orders;
    });
    expect(error.message).toMatch(/^@Service on Orders: retry\./);
  });
});

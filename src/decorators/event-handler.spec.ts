import { misuse } from '../../test/support/misuse';
import { defineTopic } from '../codec/define-topic';
import type { EventHandlerOptions } from '../model/service/handler-metadata';
import type { RetryOptions } from '../model/service/retry-options';
import type { TopicDefinition } from '../model/topics/topic-definition';
import { EventHandler } from './event-handler';
import { readEventHandlers } from './read-event-handlers';

interface Order {
  id: string;
  amount: number;
}

interface Payment {
  orderId: string;
}

const Orders = defineTopic<Order>({ name: 'orders', entity: 'Order', key: (o) => o.id });
const Payments = defineTopic<Payment>({
  name: 'payments',
  entity: 'Payment',
  key: (p) => p.orderId,
});

describe('@EventHandler misuse', () => {
  it('rejects an undefined topic (a circular import) naming the class and method', () => {
    const error = misuse(() => {
      class Billing {
        @EventHandler(undefined as unknown as TopicDefinition<Order>)
        bill(): void {}
      }
      return Billing;
    });
    expect(error.className).toBe('Billing');
    expect(error.member).toBe('bill');
    expect(error.message).toMatch(
      /^@EventHandler on Billing\.bill: the first argument is not a topic/,
    );
    expect(error.message).toContain('circular import');
  });

  it('rejects a look-alike object that defineTopic did not make', () => {
    const fake = { name: 'orders', entity: 'Order', keyOf: (o: Order) => o.id };
    const error = misuse(() => {
      class Billing {
        @EventHandler(fake as unknown as TopicDefinition<Order>)
        bill(): void {}
      }
      return Billing;
    });
    expect(error.member).toBe('bill');
    expect(error.message).toContain('not a topic made by defineTopic()');
  });

  it('rejects a static method', () => {
    const error = misuse(() => {
      class Billing {
        @EventHandler(Orders)
        static bill(): void {}
      }
      return Billing;
    });
    expect(error.className).toBe('Billing');
    expect(error.member).toBe('bill');
    expect(error.message).toBe(
      '@EventHandler on Billing.bill: is on a static method; handlers must be instance methods.',
    );
  });

  it('rejects a getter', () => {
    const error = misuse(() => {
      class Billing {
        @EventHandler(Orders)
        get bill(): number {
          return 1;
        }
      }
      return Billing;
    });
    expect(error.className).toBe('Billing');
    expect(error.member).toBe('bill');
    expect(error.message).toBe(
      '@EventHandler on Billing.bill: must decorate a method, not an accessor or field.',
    );
  });

  it('rejects the same topic twice on the same method', () => {
    const error = misuse(() => {
      class Billing {
        @EventHandler(Orders)
        @EventHandler(Orders)
        bill(): void {}
      }
      return Billing;
    });
    expect(error.className).toBe('Billing');
    expect(error.member).toBe('bill');
    expect(error.message).toBe('@EventHandler on Billing.bill: already handles "orders".');
  });

  it.each<[string, RetryOptions, string]>([
    ['attempts 0', { attempts: 0 }, 'retry.attempts must be an integer >= 1'],
    ['fractional attempts', { attempts: 2.5 }, 'retry.attempts must be an integer >= 1'],
    [
      'a negative initial delay',
      { initialDelayMs: -1 },
      'retry.initialDelayMs must be a number >= 0.',
    ],
    ['a negative max delay', { maxDelayMs: -10 }, 'retry.maxDelayMs must be a number >= 0.'],
    [
      'an infinite delay',
      { initialDelayMs: Infinity },
      'retry.initialDelayMs must be a number >= 0.',
    ],
    ['a multiplier below 1', { multiplier: 0.5 }, 'retry.multiplier must be a number >= 1.'],
    ['a NaN multiplier', { multiplier: NaN }, 'retry.multiplier must be a number >= 1.'],
  ])('rejects retry options with %s', (_label, retry, problem) => {
    const error = misuse(() => {
      class Billing {
        @EventHandler(Orders, { retry })
        bill(): void {}
      }
      return Billing;
    });
    expect(error.className).toBe('Billing');
    expect(error.member).toBe('bill');
    expect(error.message).toContain(`@EventHandler on Billing.bill: ${problem}`);
  });

  it('accepts the boundary retry options (1 attempt, zero delays, multiplier 1)', () => {
    const retry = { attempts: 1, initialDelayMs: 0, maxDelayMs: 0, multiplier: 1 };
    class Billing {
      @EventHandler(Orders, { retry })
      bill(): void {}
    }
    expect(readEventHandlers(Billing)[0].retry).toBe(retry);
  });

  it('rejects a `when` that is not a function', () => {
    const options = { when: true } as unknown as EventHandlerOptions<Order>;
    const error = misuse(() => {
      class Billing {
        @EventHandler(Orders, options)
        bill(): void {}
      }
      return Billing;
    });
    expect(error.className).toBe('Billing');
    expect(error.member).toBe('bill');
    expect(error.message).toBe('@EventHandler on Billing.bill: when must be a function.');
  });
});

describe('@EventHandler metadata', () => {
  it('records method, topic, when and retry for each handler in declaration order', () => {
    const bigOnly = (o: Order): boolean => o.amount > 100;
    class Billing {
      @EventHandler(Orders, { when: bigOnly, retry: { attempts: 5 } })
      bill(): void {}

      @EventHandler(Payments)
      settle(): void {}
    }
    const handlers = readEventHandlers(Billing);
    expect(handlers).toHaveLength(2);
    expect(handlers[0]).toEqual({
      method: 'bill',
      topic: Orders,
      when: bigOnly,
      retry: { attempts: 5 },
    });
    expect(handlers[0].topic).toBe(Orders);
    expect(handlers[0].when).toBe(bigOnly);
    expect(handlers[1]).toEqual({
      method: 'settle',
      topic: Payments,
      when: undefined,
      retry: undefined,
    });
  });

  it('lets one method handle two different topics', () => {
    class Audit {
      @EventHandler(Orders)
      @EventHandler(Payments)
      record(): void {}
    }
    expect(readEventHandlers(Audit).map((h) => [h.method, h.topic.name])).toEqual([
      ['record', 'payments'],
      ['record', 'orders'],
    ]);
  });

  it('lets two methods handle the same topic', () => {
    class Audit {
      @EventHandler(Orders)
      first(): void {}

      @EventHandler(Orders)
      second(): void {}
    }
    expect(readEventHandlers(Audit).map((h) => h.method)).toEqual(['first', 'second']);
  });

  it('gives a subclass its parent handlers plus its own, leaving the parent unchanged', () => {
    class Parent {
      @EventHandler(Orders)
      bill(): void {}
    }
    class Child extends Parent {
      @EventHandler(Payments)
      settle(): void {}
    }
    class Sibling extends Parent {}
    expect(readEventHandlers(Child).map((h) => h.method)).toEqual(['bill', 'settle']);
    expect(readEventHandlers(Parent).map((h) => h.method)).toEqual(['bill']);
    expect(readEventHandlers(Sibling).map((h) => h.method)).toEqual(['bill']);
  });

  it('has no handlers for an undecorated class', () => {
    class Plain {
      bill(): void {}
    }
    expect(readEventHandlers(Plain)).toEqual([]);
  });
});

import { injectable } from 'inversify';
import { Container } from 'inversify';

import type { Logger } from '../../src';
import { ConsoleLogger } from '../../src';
import type { Customer, Order, Payment } from './domain';

/** What the email service sends for an order paid within a minute of being placed. */
export interface Email {
  to: string;
  order: Order;
  payment: Payment;
  customer: Customer;
}

/** The outside world's mail system, injected so tests and demos can replace it. */
export interface Emailer {
  send(email: Email): Promise<void>;
}

/** The inversify token the email service asks for. */
export const EMAILER = Symbol.for('streamwise.examples.orders.Emailer');

/** The default emailer: it only logs what it would send. */
@injectable()
export class LoggingEmailer implements Emailer {
  readonly #logger: Logger = new ConsoleLogger();

  send(email: Email): Promise<void> {
    this.#logger.info('email sent', { to: email.to, orderId: email.order.id });
    return Promise.resolve();
  }
}

/** A container with the orders system's dependencies: the given emailer, or the logging one. */
export function ordersContainer(emailer?: Emailer): Container {
  const container = new Container();
  if (emailer === undefined) container.bind<Emailer>(EMAILER).to(LoggingEmailer);
  else container.bind<Emailer>(EMAILER).toConstantValue(emailer);
  return container;
}

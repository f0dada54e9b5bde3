import type { PublishedEvent } from '../../src';
import { OwnsTopic, Service, StreamService } from '../../src';
import type { Customer } from './domain';
import { Customers } from './topics';

/** The single writer of customers, keyed by the numeric customer id. */
@Service('customers-service')
@OwnsTopic(Customers)
export class CustomersService extends StreamService {
  register(customer: Customer): Promise<PublishedEvent> {
    return this.publish(Customers, customer);
  }
}

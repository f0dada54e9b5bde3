import type { PublishedEvent } from '../../src';
import { OwnsTopic, Service, StreamService } from '../../src';
import type { Payment } from './domain';
import { Payments } from './topics';

/** The single writer of payments, keyed by payment id. */
@Service('payments-service')
@OwnsTopic(Payments)
export class PaymentsService extends StreamService {
  pay(payment: Payment): Promise<PublishedEvent> {
    return this.publish(Payments, payment);
  }
}

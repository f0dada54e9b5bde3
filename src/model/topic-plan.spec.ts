import { defineTopic } from '../codec/define-topic';
import { describeService } from '../decorators/describe-service';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Query } from '../decorators/query';
import { Service } from '../decorators/service';
import { State } from '../decorators/state';
import { StreamService } from '../runtime/stream-service';
import type { StateStore } from '../state/stores/state-store';
import { INSTANCE_CLAIMS_TOPIC, planService, planTopics } from './topic-plan';

const Payments = defineTopic<{ id: string }>({
  name: 'plan-payments',
  entity: 'Payment',
  key: (p) => p.id,
});
const Receipts = defineTopic<{ id: string }>({
  name: 'plan-receipts',
  entity: 'Receipt',
  key: (r) => r.id,
});

@Service('billing-service', { exactlyOnce: true })
@OwnsTopic(Receipts)
class BillingService extends StreamService {
  @State('totals') private readonly totals!: StateStore<string, number>;

  @EventHandler(Payments)
  async bill(payment: { id: string }): Promise<void> {
    this.totals.put(payment.id, 1);
    await this.publish(Receipts, { id: payment.id });
  }

  @Query('GET /receipts/:id', { routeBy: 'id' })
  receipt(id: string): number | undefined {
    return this.totals.get(id);
  }
}

describe('the plan of a service', () => {
  const plan = planService(describeService(BillingService));

  it('writes what it owns, its changelogs, the dead letters of what it handles and its partition claims', () => {
    expect(plan.writes).toEqual([
      'plan-receipts',
      'billing-service-totals-changelog',
      'plan-payments.dlq',
      INSTANCE_CLAIMS_TOPIC,
    ]);
  });

  it('reads what it handles, its changelogs (restores) and the partition claims', () => {
    expect(plan.reads).toEqual([
      'plan-payments',
      'billing-service-totals-changelog',
      INSTANCE_CLAIMS_TOPIC,
    ]);
    expect(plan.group).toBe('billing-service');
  });

  it('names the transactional id prefix of an exactly-once service, and none otherwise', () => {
    expect(plan.transactionalIdPrefix).toBe('billing-service-');
    @Service('plain-service')
    class PlainService extends StreamService {
      @EventHandler(Receipts)
      async read(): Promise<void> {}
    }
    expect(planService(describeService(PlainService)).transactionalIdPrefix).toBeUndefined();
  });

  it('names no topic the app would not create (except the claims topic the app creates itself)', () => {
    const created = new Set(planTopics([describeService(BillingService)]).map((spec) => spec.name));
    const named = [...plan.writes, ...plan.reads].filter((name) => name !== INSTANCE_CLAIMS_TOPIC);
    expect(named.filter((name) => !created.has(name))).toEqual([]);
  });
});

import { EventHandler, OwnsTopic, Service, StreamService } from '{{package}}';
import type { EventContext } from '{{package}}';
import type { {{Entity}}Requested } from './{{name}}-topics';
import { {{Entity}}Decisions, {{Entity}}Requests } from './{{name}}-topics';

/**
 * {{name}}: reacts to {{stem}}-requests and owns {{stem}}-decisions (its single writer).
 * Keep handlers idempotent: a record can be delivered again after a crash (at least once).
 */
@Service('{{name}}')
@OwnsTopic({{Entity}}Decisions)
export class {{Class}} extends StreamService {
  @EventHandler({{Entity}}Requests)
  async decide(request: {{Entity}}Requested, ctx: EventContext): Promise<void> {
    ctx.logger.debug('deciding', { id: request.id });
    await this.publish({{Entity}}Decisions, { id: request.id, accepted: request.amount <= 100 });
  }
}

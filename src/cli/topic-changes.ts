import type { TopicState } from '../transport/topic-admin';
import type { TopicSpec } from '../transport/transport';

export interface ConfigChange {
  readonly name: string;
  readonly from: string | undefined;
  readonly to: string;
}

/** What `topics apply` does to one topic of the plan. */
export type TopicChange =
  | { readonly action: 'create'; readonly spec: TopicSpec }
  | { readonly action: 'unchanged'; readonly topic: string; readonly partitions: number }
  | {
      readonly action: 'alter';
      readonly topic: string;
      readonly partitions: { readonly from: number; readonly to: number };
      readonly configs: readonly ConfigChange[];
    }
  | {
      readonly action: 'refused';
      readonly topic: string;
      readonly partitions: { readonly from: number; readonly to: number };
      readonly reason: string;
    };

/** The configs a spec sets, cleanup.policy always among them (delete unless compacted). */
export function wantedConfigs(spec: TopicSpec): Record<string, string> {
  return { 'cleanup.policy': spec.compacted ? 'compact' : 'delete', ...spec.config };
}

/**
 * Compares the plan with the broker. Partitions can only grow: fewer partitions than the topic
 * has is refused, since Kafka cannot shrink a topic and keys would have to move anyway.
 */
export function topicChanges(
  specs: readonly TopicSpec[],
  existing: ReadonlyMap<string, TopicState>,
): TopicChange[] {
  return specs.map((spec): TopicChange => {
    const state = existing.get(spec.name);
    if (state === undefined) return { action: 'create', spec };
    const partitions = { from: state.partitions, to: spec.partitions };
    if (spec.partitions < state.partitions) {
      return {
        action: 'refused',
        topic: spec.name,
        partitions,
        reason: `it has ${state.partitions} partitions and the plan says ${spec.partitions}; Kafka cannot remove partitions: copy it into a new topic with streamwise repartition ${spec.name} --partitions ${spec.partitions} --to <new-topic>, or change the definition back`,
      };
    }
    const configs = Object.entries(wantedConfigs(spec))
      .filter(([name, value]) => !sameValue(name, state.configs[name], value))
      .map(([name, to]) => ({ name, from: state.configs[name], to }));
    if (configs.length === 0 && partitions.from === partitions.to)
      return { action: 'unchanged', topic: spec.name, partitions: spec.partitions };
    return { action: 'alter', topic: spec.name, partitions, configs };
  });
}

/** cleanup.policy is a list: "compact,delete" and "delete, compact" are the same policy. */
function sameValue(name: string, current: string | undefined, wanted: string): boolean {
  if (current === undefined) return false;
  if (name !== 'cleanup.policy') return current === wanted;
  const parts = (value: string) =>
    value
      .split(',')
      .map((part) => part.trim())
      .sort()
      .join(',');
  return parts(current) === parts(wanted);
}

import type {
  ProjectedRow,
  ProjectionSource,
  Projector,
  ReplicaInput,
} from '../model/service/replica-metadata';
import type { TopicDefinition } from '../model/topics/topic-definition';
import { isTopicDefinition } from '../model/topics/topic-definition';

const SOURCE_BRAND = Symbol.for('streamwise.projection-source');

/**
 * One input of a projection for `@Replicate([...])`: how each record of `topic` changes the row of
 * its key. The record's key is the row's key, so every input must be keyed (and partitioned) like
 * the table: e.g. payments keyed by their order's id for an order summary.
 */
export function project<V, Row extends ProjectedRow = ProjectedRow>(
  topic: TopicDefinition<V>,
  // The row's type comes from @Replicate<Row>([...]) (or project<V, Row>), not from the fold.
  fold: Projector<V, NoInfer<Row>>,
): ProjectionSource<Row> {
  const source = { topic, project: fold as Projector<unknown, Row> };
  Object.defineProperty(source, SOURCE_BRAND, { value: true });
  return source;
}

export function isProjectionSource(candidate: unknown): candidate is ProjectionSource {
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    (candidate as Partial<Record<typeof SOURCE_BRAND, unknown>>)[SOURCE_BRAND] === true
  );
}

/** The inputs of `@Replicate([...])`, checked: project() sources of distinct, co-partitioned topics. */
export function readProjectionInputs(
  sources: readonly unknown[],
  fail: (problem: string) => never,
): ReplicaInput[] {
  if (sources.length === 0) {
    fail('the list of inputs is empty: give one project(topic, fold) per input topic.');
  }
  const inputs = sources.map((source, i) => {
    if (!isProjectionSource(source) || !isTopicDefinition(source.topic)) {
      return fail(
        `input ${i} is not made by project(topic, fold) with a topic made by defineTopic() (undefined usually means a circular import).`,
      );
    }
    if (typeof source.project !== 'function') {
      return fail(`input ${i} (${source.topic.name}): its fold must be a function.`);
    }
    return { topic: source.topic, project: source.project };
  });
  const [first] = inputs;
  for (const { topic } of inputs.slice(1)) {
    if (inputs.filter((input) => input.topic.name === topic.name).length > 1) {
      fail(`topic "${topic.name}" is given twice: fold all its records in one function.`);
    }
    // A key's records must all reach the one instance that folds its row, in one partition index.
    if (topic.partitions !== first.topic.partitions || topic.keyType !== first.topic.keyType) {
      fail(
        `its inputs are not co-partitioned: "${first.topic.name}" has ${first.topic.partitions} partition(s) and ${first.topic.keyType} keys, "${topic.name}" ${topic.partitions} and ${topic.keyType} keys. A row's records must share its key and partition: give every input the same partitions and key type (re-key a topic with a service if needed).`,
      );
    }
  }
  return inputs;
}

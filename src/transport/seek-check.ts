import { TransportError } from '../errors/transport-error';
import { partitionKey } from './partition-key';
import type { TopicPartition } from './transport';

export interface SeekRequest extends TopicPartition {
  readonly offset: number;
  readonly groupId: string;
  /** The subscription is stopping or stopped. */
  readonly stopped: boolean;
  readonly assignment: readonly TopicPartition[];
}

/**
 * Refuses a seek that cannot be right, with what to do instead: an offset that is not a whole
 * number >= 0, a stopped subscription, a partition this member does not hold.
 */
export function assertSeekable(request: SeekRequest): void {
  const { topic, partition, offset, groupId } = request;
  const where = `Kafka: cannot seek ${topic}[${partition}]`;
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new TransportError(
      `${where} to ${String(offset)}: use a whole number >= 0 (e.g. from startOffsets or offsetsForTimestamp).`,
      { retriable: false },
    );
  }
  if (request.stopped) {
    throw new TransportError(`${where}: the subscription of group "${groupId}" is stopped.`, {
      retriable: false,
    });
  }
  const key = partitionKey(request);
  if (!request.assignment.some((assigned) => partitionKey(assigned) === key)) {
    throw new TransportError(
      `${where}: it is not assigned to this member of group "${groupId}" (assigned: ${assignmentText(request.assignment)}). Seek from onAssigned or from a handler of that partition.`,
      { retriable: false },
    );
  }
}

/** `orders[0], orders[1]`, or `none`: an assignment as log lines and errors show it. */
export function assignmentText(assignment: readonly TopicPartition[]): string {
  return assignment.length === 0
    ? 'none'
    : assignment.map((p) => `${p.topic}[${p.partition}]`).join(', ');
}

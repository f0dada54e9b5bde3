import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * A consumer group's offsets cannot be moved while members are in it: the coordinator refuses,
 * and the members would commit over the change anyway. Stop the group's service first.
 */
export class GroupActiveError extends StreamwiseError {
  static override readonly code = ErrorCodes.GROUP_ACTIVE;

  constructor(groupId: string, members: number) {
    super(
      ErrorCodes.GROUP_ACTIVE,
      `Group "${groupId}" has ${members} active member(s): stop its service (every instance) first, then run this again; its offsets can only move while the group is empty.`,
    );
  }
}

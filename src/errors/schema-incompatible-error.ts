import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A topic's schema breaks the compatibility rule of its registry subject; raised at start-up. */
export class SchemaIncompatibleError extends StreamwiseError {
  static override readonly code = ErrorCodes.SCHEMA_INCOMPATIBLE;

  readonly topic: string;
  readonly subject: string;
  readonly level: string;
  /** What breaks, each naming the field, e.g. `... field "amount" ...`. */
  readonly messages: readonly string[];

  constructor(subject: string, level: string, messages: readonly string[]) {
    const topic = subject.endsWith('-value') ? subject.slice(0, -'-value'.length) : subject;
    const details = messages.length > 0 ? messages.join('; ') : 'the registry gave no details';
    super(
      ErrorCodes.SCHEMA_INCOMPATIBLE,
      `The schema of topic "${topic}" (subject "${subject}") is not ${level} compatible with the versions already registered: ${details}. Make the change compatible (add fields as optional or with a default, keep required ones and their types), or publish the new shape to a new topic; do not lower the compatibility level to get past this, readers of the old data would break.`,
    );
    this.topic = topic;
    this.subject = subject;
    this.level = level;
    this.messages = Object.freeze([...messages]);
  }
}

import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * A value that does not match its topic's schema. On publish nothing was sent; on consume the
 * record went to the dead-letter topic at once (retrying cannot make bad data good).
 */
export class SchemaValidationError extends StreamwiseError {
  static override readonly code = ErrorCodes.SCHEMA_VALIDATION;

  readonly topic: string;
  /** Every failing path with what is wrong there, e.g. `/customer/id must be number`. */
  readonly problems: readonly string[];

  constructor(
    topic: string,
    version: number,
    problems: readonly string[],
    when: 'publish' | 'consume',
  ) {
    const list = problems.join('; ');
    const message =
      when === 'publish'
        ? `Value for "${topic}" does not match its schema (version ${version}): ${list}. Nothing was sent. Fix the value, or evolve the schema with a new version if the data is right.`
        : `Record on "${topic}" does not match its schema (version ${version}): ${list}. The record was sent to "${topic}.dlq"; fix the producer, then replay it from there.`;
    super(ErrorCodes.SCHEMA_VALIDATION, message);
    this.topic = topic;
    this.problems = Object.freeze([...problems]);
  }
}

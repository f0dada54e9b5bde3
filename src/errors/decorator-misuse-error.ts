import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A decorator applied wrongly; raised at decoration time, naming the class and member. */
export class DecoratorMisuseError extends StreamwiseError {
  static override readonly code = ErrorCodes.DECORATOR_MISUSE;

  readonly className: string;
  readonly member: string | undefined;

  constructor(decorator: string, className: string, member: string | undefined, problem: string) {
    const where = member === undefined ? className : `${className}.${member}`;
    super(ErrorCodes.DECORATOR_MISUSE, `@${decorator} on ${where}: ${problem}`);
    this.className = className;
    this.member = member;
  }
}

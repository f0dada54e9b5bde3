import { DecoratorMisuseError } from '../../src/errors/decorator-misuse-error';

/** Runs a class definition that should fail at decoration time and returns that failure. */
export function misuse(define: () => unknown): DecoratorMisuseError {
  try {
    define();
  } catch (error) {
    if (error instanceof DecoratorMisuseError) return error;
    throw error;
  }
  throw new Error('expected a DecoratorMisuseError at decoration time, but nothing was thrown');
}

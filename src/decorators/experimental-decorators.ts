import { DecoratorMisuseError } from '../errors/decorator-misuse-error';

const FIX =
  'this file was compiled with standard (TC39) decorators, but streamwise needs TypeScript\'s experimental decorators with metadata: set "experimentalDecorators": true and "emitDecoratorMetadata": true in the compilerOptions of tsconfig.json.';

/**
 * streamwise's decorators are TypeScript's experimental ones: they record metadata on the class
 * (and its constructor's parameter types for injection), which standard decorators do not get.
 * Standard decorators call every decorator as (value, context) with a `context.kind`; without
 * this check that shows up as a misleading symptom ("is on a static method"). `second` is the
 * decorator's second argument: the property key, or under standard decorators the context.
 */
export function requireExperimentalDecorators(
  decorator: string,
  target: unknown,
  second: unknown,
): void {
  if (typeof second !== 'object' || second === null || !('kind' in second)) return;
  const context = second as { kind: unknown; name?: string | symbol };
  const isClass = context.kind === 'class';
  const owner = isClass && typeof target === 'function' ? target.name : 'a class';
  const member = isClass || context.name === undefined ? undefined : context.name.toString();
  throw new DecoratorMisuseError(decorator, owner, member, FIX);
}

import { createRequire } from 'node:module';
import { resolve } from 'node:path';

import { CliUsageError } from './cli-error';

const TYPESCRIPT = /\.[cm]?tsx?$/;
let tsxRegistered = false;

/**
 * Loads a module the user names: built JavaScript, or TypeScript such as a project's
 * src/services.ts, compiled on the fly by tsx's require hook (registered on first need; under a
 * runner that already compiles TypeScript, as jest or `npx tsx` do, the first import works).
 */
export async function loadModule(modulePath: string): Promise<Record<string, unknown>> {
  const path = resolve(modulePath);
  try {
    return (await import(path)) as Record<string, unknown>;
  } catch (error) {
    if (!TYPESCRIPT.test(path) || tsxRegistered) throw cannotLoad(modulePath, error);
  }
  try {
    // tsx ships this entry as CommonJS without types for the module resolution used here.
    const api = createRequire(__filename)('tsx/cjs/api') as { register: () => unknown };
    api.register();
    tsxRegistered = true;
    return (await import(path)) as Record<string, unknown>;
  } catch (error) {
    throw cannotLoad(modulePath, error);
  }
}

function cannotLoad(modulePath: string, error: unknown): CliUsageError {
  const reason = error instanceof Error ? error.message : String(error);
  return new CliUsageError(
    `Cannot load ${modulePath}: ${reason}. Pass a module that exports @Service classes (JavaScript, or TypeScript with tsx installed).`,
  );
}

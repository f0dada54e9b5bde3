import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The package's templates/ folder, from src/cli (tsx, tests) or dist/src/cli (built). */
export function templatesDir(): string {
  for (const up of ['../..', '../../..']) {
    const candidate = join(__dirname, up, 'templates');
    if (existsSync(join(candidate, 'service'))) return candidate;
  }
  throw new Error(`streamwise templates not found near ${__dirname}; reinstall the package.`);
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The version in package.json, found from here in both src/ (tsx) and dist/src/ (built). */
export function packageVersion(): string {
  for (const up of ['../..', '../../..']) {
    try {
      const text = readFileSync(join(__dirname, up, 'package.json'), 'utf8');
      const parsed = JSON.parse(text) as { name?: string; version?: string };
      if (parsed.name === 'streamwise' && typeof parsed.version === 'string') return parsed.version;
    } catch {
      // try the next candidate
    }
  }
  return 'unknown';
}

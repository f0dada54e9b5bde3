import { readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

/** The streamwise package this CLI runs from: its folder and version, from src/ or dist/src/. */
export function ownPackage(): { readonly root: string; readonly version: string } | undefined {
  for (const up of ['../..', '../../..']) {
    try {
      const root = resolve(__dirname, up);
      const text = readFileSync(join(root, 'package.json'), 'utf8');
      const parsed = JSON.parse(text) as { name?: string; version?: string };
      if (parsed.name === 'streamwise' && typeof parsed.version === 'string')
        return { root, version: parsed.version };
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

/** The version in package.json, found from here in both src/ (tsx) and dist/src/ (built). */
export function packageVersion(): string {
  return ownPackage()?.version ?? 'unknown';
}

/**
 * What a generated project depends on when no --streamwise-spec is given: the version when this
 * CLI was installed by npm (it sits in a node_modules folder), else the folder it runs from (a
 * clone, whose version is not on the registry) as a `file:` spec that npm links.
 */
export function defaultStreamwiseSpec(
  own: { readonly root: string; readonly version: string } | undefined,
): string | undefined {
  if (own === undefined) return undefined;
  return own.root.split(sep).includes('node_modules') ? own.version : `file:${own.root}`;
}

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

import { CliUsageError } from '../cli-error';
import { renderTemplate } from './render-template';

/** npm's rule for a new package name: lowercase, URL-safe, at most 214 characters. */
const PROJECT_NAME = /^[a-z0-9][a-z0-9._-]{0,213}$/;

export interface ProjectScaffoldOptions {
  /** Where to write the project: a new or empty directory. */
  readonly dir: string;
  /** What the project's package.json depends on for streamwise: a version, a tarball, a git URL. */
  readonly streamwiseSpec: string;
  /** Folder holding the `project/` templates. */
  readonly templatesDir: string;
}

/**
 * Writes a runnable project from templates/project: every `<path>.tpl` becomes `<path>` with its
 * placeholders filled (`gitignore.tpl` becomes `.gitignore`, a name npm pack would drop).
 * Returns the files written, relative to `dir`. Refuses a directory that already has files, so
 * it never overwrites anything.
 */
export function scaffoldProject(options: ProjectScaffoldOptions): string[] {
  const dir = resolve(options.dir);
  const projectName = basename(dir);
  if (!PROJECT_NAME.test(projectName))
    throw new CliUsageError(
      `"${projectName}" cannot name an npm package: pick a directory named in lowercase letters, digits, "-", "." or "_" (e.g. my-services).`,
    );
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new CliUsageError(
      `${dir} is not empty: give a new or empty directory, so nothing there is overwritten.`,
    );
  const source = join(options.templatesDir, 'project');
  const values = { projectName, streamwiseSpec: options.streamwiseSpec };
  const written: string[] = [];
  for (const template of templateFiles(source)) {
    const target = targetPath(template);
    const path = join(dir, target);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, renderTemplate(readFileSync(join(source, template), 'utf8'), values));
    written.push(target);
  }
  return written;
}

function templateFiles(root: string, under = ''): string[] {
  return readdirSync(join(root, under), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = under === '' ? entry.name : join(under, entry.name);
      if (entry.isDirectory()) return templateFiles(root, path);
      return path.endsWith('.tpl') ? [path] : [];
    });
}

function targetPath(template: string): string {
  const path = template.slice(0, -'.tpl'.length);
  return basename(path) === 'gitignore' ? join(dirname(path), '.gitignore') : path;
}

/** For messages: `dir` as typed when it is under the working directory, else absolute. */
export function displayPath(dir: string): string {
  const rel = relative(process.cwd(), resolve(dir));
  return rel === '' || rel.startsWith('..') ? resolve(dir) : rel;
}

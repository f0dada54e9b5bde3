import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { CliUsageError } from '../cli-error';
import type { Command } from '../command';
import { templatesDir } from '../templates-dir';

const SERVICE_NAME = /^[a-z][a-z0-9-]{0,98}[a-z0-9]$/;

/** Template file → the file it becomes, for a service named `name`. */
const FILES: readonly [template: string, target: (name: string) => string][] = [
  ['topics.ts.tpl', (name) => `${name}-topics.ts`],
  ['service.ts.tpl', (name) => `${name}.ts`],
  ['service.spec.ts.tpl', (name) => `${name}.spec.ts`],
];

export const newService: Command = {
  name: 'new service',
  usage: 'streamwise new service <kebab-name> [--dir src/services] [--package streamwise]',
  summary:
    'Scaffold a service from templates/service: its topics with schemas, the service, a TestBed spec.',
  run({ args, flags, io }) {
    const [name] = args;
    if (name === undefined || !SERVICE_NAME.test(name)) {
      throw new CliUsageError(
        `Give a kebab-case service name such as payments-service: ${newService.usage}`,
      );
    }
    const dir = resolve(typeof flags.dir === 'string' ? flags.dir : 'src/services');
    const values = placeholders(
      name,
      typeof flags.package === 'string' ? flags.package : 'streamwise',
    );
    const targets = FILES.map(([template, target]) => ({
      template,
      path: join(dir, target(name)),
    }));
    const existing = targets.filter((t) => existsSync(t.path)).map((t) => t.path);
    if (existing.length > 0)
      throw new CliUsageError(
        `Not overwriting ${existing.join(', ')}; remove them or pick another name.`,
      );
    mkdirSync(dir, { recursive: true });
    for (const { template, path } of targets) {
      writeFileSync(
        path,
        render(readFileSync(join(templatesDir(), 'service', template), 'utf8'), values),
      );
      io.out(`created ${path}`);
    }
    return Promise.resolve();
  },
};

function placeholders(name: string, pkg: string): Record<string, string> {
  const stem = name.replace(/-service$/, '') || name;
  const pascal = (text: string) =>
    text
      .split('-')
      .filter((part) => part !== '')
      .map((part) => part[0].toUpperCase() + part.slice(1))
      .join('');
  return { name, stem, Class: pascal(name), Entity: pascal(stem), package: pkg };
}

function render(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (match, key: string) => values[key] ?? match);
}

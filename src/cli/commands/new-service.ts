import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { CliUsageError } from '../cli-error';
import type { CliIo } from '../cli-io';
import type { Command } from '../command';
import { registerService } from '../scaffold/register-service';
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
    register(dir, join(dir, `${name}.ts`), values.Class, io);
    return Promise.resolve();
  },
};

/** In a generated project, services.ts sits next to the services folder: add the new one there. */
function register(dir: string, serviceFile: string, className: string, io: CliIo): void {
  const servicesFile = join(dirname(dir), 'services.ts');
  const how = `add ${className} to the services your app runs`;
  if (!existsSync(servicesFile)) {
    io.out(`${how} (there is no ${servicesFile} to register it in).`);
    return;
  }
  const problem = registerService(servicesFile, serviceFile, className);
  if (problem === undefined) io.out(`registered ${className} in ${servicesFile}`);
  else io.err(`could not register ${className} in ${servicesFile}: ${problem}; ${how} yourself.`);
}

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

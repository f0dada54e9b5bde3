import { resolve } from 'node:path';

import { describeService } from '../../decorators/describe-service';
import { readServiceMetadata } from '../../decorators/read-service-metadata';
import type { ServiceDescription } from '../../model/service/service-description';
import { planService } from '../../model/topic-plan';
import { TopicWriters } from '../../runtime/topic-writers';
import { CliUsageError } from '../cli-error';
import type { Command } from '../command';

/**
 * Reads the @Service classes a module exports and prints who owns, reads and answers what; with
 * --acls, the Kafka ACLs that make the broker enforce the single writers too (principle 5).
 */
export const topology: Command = {
  name: 'topology',
  usage: 'streamwise topology <module> [--acls] [--principal-prefix User:]',
  summary:
    'Print the services a module exports: owned and consumed topics, queries; --acls prints kafka-acls commands.',
  arguments: [
    {
      name: '<module>',
      description: 'a JavaScript module that exports @Service classes (or run the CLI under tsx)',
    },
  ],
  options: [
    { flags: '--acls', description: 'print the kafka-acls commands that enforce single writers' },
    {
      flags: '--principal-prefix <prefix>',
      description: 'prefix of the service principals in --acls',
      defaultValue: 'User:',
    },
  ],
  examples: [
    'streamwise topology dist/my-services.js',
    'streamwise topology dist/my-services.js --acls --principal-prefix User:',
  ],
  async run({ args, flags, io }) {
    const [modulePath] = args;
    const services = await loadServices(modulePath);
    if (services.length === 0) throw new CliUsageError(`${modulePath} exports no @Service class.`);
    TopicWriters.build(services);
    if (flags.acls === true) {
      const prefix =
        typeof flags['principal-prefix'] === 'string' ? flags['principal-prefix'] : 'User:';
      aclCommands(services, prefix).forEach((line) => io.out(line));
      return;
    }
    for (const service of services) {
      io.out(`${service.name} (${service.className})`);
      io.out(`  owns:     ${list(service.owns.map((t) => t.name))}`);
      io.out(
        `  consumes: ${list(service.handlers.map((h) => `${h.topic.name} -> ${h.method}()`))}`,
      );
      io.out(
        `  tables:   ${list(service.materialized.map((m) => `${m.topic.name} (${m.mode}) -> ${m.property}`))}`,
      );
      io.out(
        `  queries:  ${list(service.queries.map((q) => `${q.httpMethod} ${q.path} -> ${q.method}()`))}`,
      );
    }
  },
};

function list(items: readonly string[]): string {
  return items.length === 0 ? '-' : items.join(', ');
}

async function loadServices(modulePath: string): Promise<ServiceDescription[]> {
  let exported: Record<string, unknown>;
  try {
    exported = (await import(resolve(modulePath))) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliUsageError(
      `Cannot load ${modulePath}: ${reason}. Pass a JavaScript module, or run the CLI under a TypeScript loader (npx tsx).`,
    );
  }
  const seen = new Set<unknown>();
  const services: ServiceDescription[] = [];
  for (const value of Object.values(exported)) {
    if (typeof value !== 'function' || seen.has(value) || readServiceMetadata(value) === undefined)
      continue;
    seen.add(value);
    services.push(describeService(value as abstract new (...args: never[]) => object));
  }
  return services;
}

function aclCommands(services: readonly ServiceDescription[], prefix: string): string[] {
  const lines = [
    '# Single writers enforced by the broker: each service may write only what it owns (and its',
    '# own changelogs and dead letters); generated from the same plan the app creates topics from.',
  ];
  const add = (service: string, operation: string, resource: string) =>
    lines.push(
      `kafka-acls.sh --bootstrap-server "$BROKERS" --add --allow-principal ${prefix}${service} --operation ${operation} ${resource}`,
    );
  for (const plan of services.map(planService)) {
    for (const topic of plan.writes) add(plan.service, 'Write', `--topic ${topic}`);
    for (const topic of plan.reads) add(plan.service, 'Read', `--topic ${topic}`);
    add(plan.service, 'Read', `--group ${plan.group}`);
    if (plan.transactionalIdPrefix !== undefined) {
      const ids = `--transactional-id ${plan.transactionalIdPrefix} --resource-pattern-type prefixed`;
      add(plan.service, 'Write', ids);
      add(plan.service, 'Describe', ids);
    }
  }
  return [...new Set(lines)];
}

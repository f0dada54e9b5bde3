import type { ServiceDescription } from '../../model/service/service-description';
import { planAcls } from '../../model/service-acls';
import { TopicWriters } from '../../runtime/topic-writers';
import { aclCommandLines } from '../acl-lines';
import { CliUsageError } from '../cli-error';
import type { Command } from '../command';
import { loadServices } from '../load-services';

/**
 * Reads the @Service classes a module exports and prints who owns, reads and answers what; with
 * --acls, the Kafka ACLs that make the broker enforce the single writers too (principle 5).
 */
export const topology: Command = {
  name: 'topology',
  usage: 'streamwise topology <module> [--acls] [--principal-prefix User:]',
  summary:
    'Print the services a module exports: owned and consumed topics, queries; --acls prints kafka-acls commands.',
  async run({ args, flags, io }) {
    const [modulePath] = args;
    if (modulePath === undefined)
      throw new CliUsageError(`Name a module that exports services: ${topology.usage}`);
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

function aclCommands(services: readonly ServiceDescription[], prefix: string): string[] {
  return [
    '# Single writers enforced by the broker: each service may write only what it owns (and its',
    '# own changelogs and dead letters); generated from the same plan the app creates topics from.',
    '# `streamwise acls` prints the same, with --json, --dry-run and --apply.',
    ...aclCommandLines(planAcls(services, { principalFormat: `${prefix}{service}` })),
  ];
}

import type { ServiceDescription } from '../../model/service/service-description';
import { planAcls } from '../../model/service-acls';
import { TopicWriters } from '../../runtime/topic-writers';
import { aclCommandLines } from '../acl-lines';
import { CliUsageError } from '../cli-error';
import type { Command } from '../command';
import { printJson } from '../json-output';
import { loadServices } from '../load-services';
import { topologyAsyncApi, topologyJson, topologyMermaid } from '../topology-documents';

/**
 * Reads the @Service classes a module exports and prints who owns, reads and answers what; with
 * --acls, the Kafka ACLs that make the broker enforce the single writers too (principle 5).
 */
export const topology: Command = {
  name: 'topology',
  usage:
    'streamwise topology <module> [--format text|mermaid|json|asyncapi] [--acls] [--principal-prefix User:]',
  summary:
    'Print the services a module exports: owned and consumed topics, queries; --acls prints kafka-acls commands.',
  arguments: [
    {
      name: '<module>',
      description:
        'a module that exports @Service classes: built JavaScript or TypeScript (src/services.ts)',
    },
  ],
  description: [
    'mermaid: a flowchart (services write topics, topics feed handlers and tables).',
    'json: {"services": [{"name", "className", "owns", "consumes": [{"topic", "method"}], "tables",',
    '       "queries"}], "topics": [{"name", "entity", "version", "partitions", "compacted", "owner",',
    '       "schema"}]}',
    'asyncapi: an AsyncAPI 3.0 document: a channel per topic, its message with the JSON Schema, and',
    '          a send or receive operation per service and topic.',
  ].join('\n'),
  options: [
    {
      flags: '--format <format>',
      description: 'text, mermaid, json or asyncapi',
      defaultValue: 'text',
    },
    { flags: '--acls', description: 'print the kafka-acls commands that enforce single writers' },
    {
      flags: '--principal-prefix <prefix>',
      description: 'prefix of the service principals in --acls',
      defaultValue: 'User:',
    },
  ],
  examples: [
    'streamwise topology dist/my-services.js',
    'streamwise topology src/services.ts --format asyncapi > asyncapi.json',
    'streamwise topology src/services.ts --format mermaid',
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
    const format = String(flags.format ?? 'text');
    if (format === 'json') return printJson(io, topologyJson(services));
    if (format === 'asyncapi') return printJson(io, topologyAsyncApi(services, '1.0.0'));
    if (format === 'mermaid') return topologyMermaid(services).forEach((line) => io.out(line));
    if (format !== 'text')
      throw new CliUsageError(`--format is text, mermaid, json or asyncapi, not "${format}".`);
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

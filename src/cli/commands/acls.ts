import { planAcls } from '../../model/service-acls';
import { TopicWriters } from '../../runtime/topic-writers';
import { aclCommandLines, aclJson } from '../acl-lines';
import { CliUsageError } from '../cli-error';
import type { Command } from '../command';
import { loadServices } from '../load-services';

/**
 * The Kafka ACLs every service of a module needs to run as its own principal on a broker that
 * allows nothing without one: the broker then enforces each topic's single writer.
 */
export const acls: Command = {
  name: 'acls',
  usage:
    "streamwise acls <module> [--principal-format 'User:{service}'] [--json] [--idempotent-write]",
  summary:
    'Print the ACLs each service needs (kafka-acls.sh lines, or --json), from the plan the app uses.',
  async run({ args, flags, io }) {
    const [modulePath] = args;
    if (modulePath === undefined)
      throw new CliUsageError(`Name a module that exports services: ${acls.usage}`);
    const services = await loadServices(modulePath);
    if (services.length === 0) throw new CliUsageError(`${modulePath} exports no @Service class.`);
    TopicWriters.build(services);
    const format = flags['principal-format'];
    const bindings = planAcls(services, {
      principalFormat: typeof format === 'string' ? format : undefined,
      idempotentWrite: flags['idempotent-write'] === true,
    });
    if (flags.json === true) {
      io.out(aclJson(bindings));
      return;
    }
    aclCommandLines(bindings).forEach((line) => io.out(line));
  },
};

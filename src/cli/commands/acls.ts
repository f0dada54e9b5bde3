import type { AclDiff } from '../../model/acl-diff';
import { reconcileAcls } from '../../model/acl-diff';
import { planAcls } from '../../model/service-acls';
import { TopicWriters } from '../../runtime/topic-writers';
import { aclCommandLines, aclJson } from '../acl-lines';
import { CliUsageError } from '../cli-error';
import type { Command } from '../command';
import { loadServices } from '../load-services';

/**
 * The Kafka ACLs every service of a module needs to run as its own principal on a broker that
 * allows nothing without one: the broker then enforces each topic's single writer. Prints them;
 * --dry-run compares them with the broker's, --apply creates the missing ones (never removes).
 */
export const acls: Command = {
  name: 'acls',
  usage:
    "streamwise acls <module> [--principal-format 'User:{service}'] [--json] [--idempotent-write] [--dry-run | --apply]",
  summary:
    'Print the ACLs each service needs (kafka-acls.sh lines, or --json), from the plan the app uses; --dry-run diffs them with the broker, --apply creates the missing ones (an admin login: --command-config).',
  async run({ args, flags, io, aclAdmin }) {
    const [modulePath] = args;
    if (modulePath === undefined)
      throw new CliUsageError(`Name a module that exports services: ${acls.usage}`);
    if (flags.apply === true && flags['dry-run'] === true)
      throw new CliUsageError('Pass --dry-run (show the diff) or --apply (create), not both.');
    const services = await loadServices(modulePath);
    if (services.length === 0) throw new CliUsageError(`${modulePath} exports no @Service class.`);
    TopicWriters.build(services);
    const format = flags['principal-format'];
    const bindings = planAcls(services, {
      principalFormat: typeof format === 'string' ? format : undefined,
      idempotentWrite: flags['idempotent-write'] === true,
    });
    if (flags.apply === true || flags['dry-run'] === true) {
      const apply = flags.apply === true;
      const diff = await reconcileAcls(await aclAdmin(), bindings, { apply });
      diffLines(diff, apply).forEach((line) => io.out(line));
      return;
    }
    if (flags.json === true) {
      io.out(aclJson(bindings));
      return;
    }
    aclCommandLines(bindings).forEach((line) => io.out(line));
  },
};

function diffLines(diff: AclDiff, applied: boolean): string[] {
  const lines = [
    `# ${diff.toAdd.length} ${applied ? 'added' : 'to add'}, ${diff.present.length} already present, ${diff.extra.length} extra on the broker for these principals (never removed)${diff.others > 0 ? `, and ${diff.others} DENY or host-bound ACLs left alone` : ''}.`,
  ];
  const section = (title: string, entries: string[]): void => {
    if (entries.length > 0) lines.push(`# ${title}:`, ...entries);
  };
  section(applied ? 'added' : 'to add', aclCommandLines(diff.toAdd));
  section('already present', aclCommandLines(diff.present));
  section(
    'extra (review; remove with these commands if no longer needed)',
    aclCommandLines(diff.extra, 'remove'),
  );
  return lines;
}

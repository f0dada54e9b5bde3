import { appTopicSpecs } from '../../app/app-topics';
import { TopicMismatchError } from '../../errors/topic-mismatch-error';
import { TopicWriters } from '../../runtime/topic-writers';
import type { TopicAdmin } from '../../transport/topic-admin';
import { CliUsageError } from '../cli-error';
import type { Command } from '../command';
import { formatTable } from '../format-table';
import { JSON_OPTION, printJson, wantsJson } from '../json-output';
import { loadServices } from '../load-services';
import { type TopicChange, topicChanges, wantedConfigs } from '../topic-changes';

/**
 * Brings the broker to the topic plan of a services module before anything runs: the topics the
 * app would create at start (so an owner need not start first), and the partitions and configs
 * it would only report as a mismatch. Previews by default, like replay: a wrong plan is costly.
 */
export const topicsApply: Command = {
  name: 'topics apply',
  usage: 'streamwise topics apply <module> [--execute] [--json]',
  summary:
    "Preview, then with --execute make, the changes that bring the broker to a module's topic plan.",
  description: [
    "The plan is the app's own: every topic the services own or read, a dead-letter topic per",
    'handled topic, the changelog of every store, and the partition-claims topic when a query is',
    'key-routed. Missing topics are created; partitions grow and configs (cleanup.policy,',
    "retention.ms, ...) are altered to the definitions'. Fewer partitions than a topic has is",
    'refused (Kafka cannot shrink a topic): nothing is changed and the command fails.',
    'JSON: {"executed", "topics": [{"topic", "action": "create"|"alter"|"unchanged"|"refused",',
    '       "partitions": {"from": number|null, "to"}, "configs": [{"name", "from", "to"}], "reason"?}]}',
  ].join('\n'),
  arguments: [
    {
      name: '<module>',
      description:
        'a module that exports @Service classes: built JavaScript or TypeScript (src/services.ts)',
    },
  ],
  options: [
    { flags: '--execute', description: 'make the changes (without it, only the preview)' },
    JSON_OPTION,
  ],
  examples: [
    'streamwise topics apply src/services.ts',
    'streamwise topics apply src/services.ts --execute',
    'streamwise topics apply dist/services.js --json',
  ],
  async run({ args, flags, io, topicAdmin }) {
    const [modulePath] = args;
    const services = await loadServices(modulePath);
    if (services.length === 0) throw new CliUsageError(`${modulePath} exports no @Service class.`);
    TopicWriters.build(services);
    const specs = appTopicSpecs(services, { http: true });
    const admin = await topicAdmin();
    const configNames = [...new Set(specs.flatMap((spec) => Object.keys(wantedConfigs(spec))))];
    const changes = topicChanges(
      specs,
      await admin.describe(
        specs.map((spec) => spec.name),
        configNames,
      ),
    );
    const refused = changes.find((change) => change.action === 'refused');
    const execute = flags.execute === true && refused === undefined;
    if (execute) await applyChanges(admin, changes);
    if (wantsJson(flags)) printJson(io, { executed: execute, topics: changes.map(asJson) });
    else printText((line) => io.out(line), changes, execute);
    if (refused !== undefined) throw new TopicMismatchError(refused.topic, refused.reason);
  },
};

async function applyChanges(admin: TopicAdmin, changes: readonly TopicChange[]): Promise<void> {
  await admin.create(changes.flatMap((c) => (c.action === 'create' ? [c.spec] : [])));
  for (const change of changes) {
    if (change.action !== 'alter') continue;
    if (change.configs.length > 0)
      await admin.alterConfigs(
        change.topic,
        Object.fromEntries(change.configs.map((config) => [config.name, config.to])),
      );
    if (change.partitions.to > change.partitions.from)
      await admin.addPartitions(change.topic, change.partitions.to);
  }
}

/** One topic of the --json output, and the row of the text table. */
interface TopicChangeJson {
  readonly topic: string;
  readonly action: TopicChange['action'];
  readonly partitions: { readonly from: number | null; readonly to: number };
  readonly configs: readonly { name: string; from: string | null; to: string }[];
  readonly reason?: string;
}

function asJson(change: TopicChange): TopicChangeJson {
  switch (change.action) {
    case 'create':
      return {
        topic: change.spec.name,
        action: 'create',
        partitions: { from: null, to: change.spec.partitions },
        configs: Object.entries(wantedConfigs(change.spec)).map(([name, to]) => ({
          name,
          from: null,
          to,
        })),
      };
    case 'unchanged':
      return {
        topic: change.topic,
        action: 'unchanged',
        partitions: { from: change.partitions, to: change.partitions },
        configs: [],
      };
    case 'alter':
      return {
        topic: change.topic,
        action: 'alter',
        partitions: change.partitions,
        configs: change.configs.map((c) => ({ name: c.name, from: c.from ?? null, to: c.to })),
      };
    case 'refused':
      return { ...change, configs: [] };
  }
}

function printText(out: (line: string) => void, changes: readonly TopicChange[], execute: boolean) {
  const rows = changes.map((change) => {
    const json = asJson(change);
    const { from, to } = json.partitions;
    return [
      json.topic,
      json.action,
      from === null || from === to ? String(to) : `${from} -> ${to}`,
      json.configs
        .map((c) => (c.from === null ? `${c.name}=${c.to}` : `${c.name}: ${c.from} -> ${c.to}`))
        .join(', ') || '-',
    ];
  });
  formatTable([['topic', 'action', 'partitions', 'configs'], ...rows]).forEach((l) => out(l));
  const pending = changes.filter((c) => c.action === 'create' || c.action === 'alter').length;
  if (changes.some((c) => c.action === 'refused'))
    out('Nothing changed: a change Kafka cannot make was refused (below).');
  else if (pending === 0) out('The broker matches the plan: nothing to change.');
  else if (!execute)
    out(`Preview only: nothing changed. Add --execute to make these ${pending} change(s).`);
  else out(`Applied ${pending} change(s).`);
}

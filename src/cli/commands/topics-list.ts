import type { Command } from '../command';
import { JSON_OPTION, printJson, wantsJson } from '../json-output';

export const topicsList: Command = {
  name: 'topics list',
  usage: 'streamwise topics list [--json]',
  summary: 'List the topics on the cluster (internal __ topics left out).',
  description: 'JSON: ["orders", "orders.dlq", ...], sorted.',
  options: [JSON_OPTION],
  examples: ['streamwise topics list', 'streamwise topics list --json -b 127.0.0.1:9092'],
  async run({ flags, io, transport }) {
    const names = (await (await transport()).listTopics()).sort();
    if (wantsJson(flags)) printJson(io, names);
    else for (const name of names) io.out(name);
  },
};

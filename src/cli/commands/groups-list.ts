import type { Command } from '../command';
import { formatTable } from '../format-table';
import { JSON_OPTION, printJson, wantsJson } from '../json-output';

export const groupsList: Command = {
  name: 'groups list',
  usage: 'streamwise groups list [--json]',
  summary: 'List the consumer groups on the cluster.',
  description: 'JSON: [{"groupId", "protocolType"}], sorted by groupId.',
  options: [JSON_OPTION],
  examples: ['streamwise groups list', 'streamwise groups list --json'],
  async run({ flags, io, groups }) {
    const found = await (await groups()).listGroups();
    if (wantsJson(flags)) {
      printJson(io, found);
      return;
    }
    const rows = [['group', 'protocol'], ...found.map((g) => [g.groupId, g.protocolType || '-'])];
    formatTable(rows).forEach((line) => io.out(line));
  },
};

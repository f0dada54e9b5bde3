import type { Command } from '../command';

export const topicsList: Command = {
  name: 'topics list',
  usage: 'streamwise topics list',
  summary: 'List the topics on the cluster (internal __ topics left out).',
  async run({ io, transport }) {
    const names = await (await transport()).listTopics();
    for (const name of names.sort()) io.out(name);
  },
};

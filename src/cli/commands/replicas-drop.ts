import { dropOldVersions } from '../../replicas/replica-versions';
import type { Command } from '../command';
import { JSON_OPTION, printJson, wantsJson } from '../json-output';
import { DATABASE_OPTION, openDatabase } from '../replica-target';

/** Old versions stay after a rebuild so readers' SQL can be compared or rolled back by hand. */
export const replicasDrop: Command = {
  name: 'replicas drop',
  usage: 'streamwise replicas drop <table> --database <url> [--json]',
  summary: 'Drop the versions of a @Replicate table that readers no longer see.',
  description: [
    'Drops every version of <table> a rebuild switched away from, with its offsets; the live',
    'version (the one the view <table> shows) and a rebuild still in progress are kept.',
    'JSON: {"table", "dropped": [table, ...]}',
  ].join('\n'),
  arguments: [{ name: '<table>', description: "the replica's table (the view readers read)" }],
  options: [DATABASE_OPTION, JSON_OPTION],
  examples: ['streamwise replicas drop orders --database postgres://app@db:5432/app'],
  async run(context) {
    const [table] = context.args;
    const database = await openDatabase(context.flags);
    let dropped: string[];
    try {
      dropped = await dropOldVersions(database, table);
    } finally {
      await database.close();
    }
    if (wantsJson(context.flags)) printJson(context.io, { table, dropped });
    else if (dropped.length === 0) context.io.out(`${table}: no old version to drop.`);
    else context.io.out(`${table}: dropped ${dropped.join(', ')}.`);
  },
};

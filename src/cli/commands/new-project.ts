import { CliUsageError } from '../cli-error';
import type { Command } from '../command';
import { defaultStreamwiseSpec, ownPackage } from '../package-version';
import { displayPath, scaffoldProject } from '../scaffold/scaffold-project';
import { templatesDir } from '../templates-dir';

export const newProject: Command = {
  name: 'new project',
  usage: 'streamwise new project <dir> [--streamwise-spec <npm spec>]',
  summary:
    'Write a runnable project: one service with a topic, its TestBed spec, main.ts, build/test/start scripts.',
  options: [
    {
      flags: '--streamwise-spec <npm spec>',
      description:
        "the project's streamwise dependency: a version, a tarball (file:...tgz) or a git URL (default: this CLI's version when npm installed it, file:<its folder> when it runs from a clone)",
    },
  ],
  run({ args, flags, io }) {
    const [dir] = args;
    if (dir === undefined)
      throw new CliUsageError(`Name the directory to create: ${newProject.usage}`);
    const spec = flags['streamwise-spec'];
    const given = typeof spec === 'string' && spec !== '' ? spec : undefined;
    const streamwiseSpec = given ?? ownSpec();
    const files = scaffoldProject({ dir, streamwiseSpec, templatesDir: templatesDir() });
    const where = displayPath(dir);
    files.forEach((file) => io.out(`created ${where}/${file}`));
    if (given === undefined && streamwiseSpec.startsWith('file:'))
      io.out(
        `streamwise comes from this clone (${streamwiseSpec}), linked by npm install: keep the clone built (npm run build), or pass --streamwise-spec <version|tarball|git URL>.`,
      );
    io.out('');
    io.out(`Next: cd ${where} && npm install && npm test && npm run build && npm start`);
    return Promise.resolve();
  },
};

function ownSpec(): string {
  const spec = defaultStreamwiseSpec(ownPackage());
  if (spec === undefined)
    throw new CliUsageError(
      'Cannot tell where this streamwise CLI was installed from: pass --streamwise-spec (a version, a tarball path or a git URL).',
    );
  return spec;
}

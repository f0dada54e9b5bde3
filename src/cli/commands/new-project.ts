import { CliUsageError } from '../cli-error';
import type { Command } from '../command';
import { packageVersion } from '../package-version';
import { displayPath, scaffoldProject } from '../scaffold/scaffold-project';
import { templatesDir } from '../templates-dir';

export const newProject: Command = {
  name: 'new project',
  usage: 'streamwise new project <dir> [--streamwise-spec <npm spec>]',
  summary:
    'Write a runnable project: one service with a topic, its TestBed spec, main.ts, build/test/start scripts.',
  run({ args, flags, io }) {
    const [dir] = args;
    if (dir === undefined)
      throw new CliUsageError(`Name the directory to create: ${newProject.usage}`);
    const spec = flags['streamwise-spec'];
    const streamwiseSpec = typeof spec === 'string' && spec !== '' ? spec : ownVersion();
    const files = scaffoldProject({ dir, streamwiseSpec, templatesDir: templatesDir() });
    const where = displayPath(dir);
    files.forEach((file) => io.out(`created ${where}/${file}`));
    io.out('');
    io.out(`Next: cd ${where} && npm install && npm test && npm run build && npm start`);
    return Promise.resolve();
  },
};

function ownVersion(): string {
  const version = packageVersion();
  if (version === 'unknown')
    throw new CliUsageError(
      'Cannot tell which streamwise version this CLI is: pass --streamwise-spec (a version, a tarball path or a git URL).',
    );
  return version;
}

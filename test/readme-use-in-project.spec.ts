import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import ts from 'typescript';

const REPO = resolve(__dirname, '..');

/** The ```ts blocks of one README section, from its heading to the next `## ` heading. */
function snippets(heading: string): string[] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "${heading}" section`);
  const end = readme.indexOf('\n## ', start + heading.length + 2);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
}

describe('README "Use it in your project"', () => {
  it('has code that compiles as a project would import streamwise', () => {
    const blocks = snippets('## Use it in your project');
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    // Inside the repo, so `inversify` and the type packages resolve from its node_modules.
    const dir = mkdtempSync(join(REPO, '.readme-check-'));
    try {
      const files = blocks.map((code, i) => {
        const file = join(dir, `snippet-${i + 1}.ts`);
        writeFileSync(file, code);
        return file;
      });
      const { options } = ts.parseJsonConfigFileContent(
        ts.readConfigFile(join(REPO, 'tsconfig.json'), (p) => ts.sys.readFile(p)).config as object,
        ts.sys,
        REPO,
      );
      const program = ts.createProgram(files, {
        ...options,
        noEmit: true,
        rootDir: undefined,
        baseUrl: REPO,
        // What `npm install streamwise` gives a project: its three entry points.
        paths: {
          streamwise: ['src/index.ts'],
          'streamwise/testing': ['src/testing/index.ts'],
          'streamwise/kafka': ['src/kafka.ts'],
        },
      });
      const problems = ts.getPreEmitDiagnostics(program).map((d) => {
        const where =
          d.file === undefined
            ? ''
            : `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: `;
        return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
      expect(problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // A whole TypeScript program: seconds alone, more on a busy two-core machine.
  }, 120_000);
});

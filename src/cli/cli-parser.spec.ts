import { MemoryBroker } from '../transport/memory/memory-broker';
import { MemoryTransport } from '../transport/memory/memory-transport';
import type { Command } from './command';
import { runCli } from './run-cli';

describe('the command line parser', () => {
  const broker = new MemoryBroker();
  const output = { out: [] as string[], err: [] as string[] };
  const seen: { args: readonly string[]; flags: Record<string, unknown> }[] = [];
  /** Written the way commands were before commander: name, usage, summary and run only. */
  const legacy: Command = {
    name: 'legacy thing',
    usage: 'streamwise legacy thing <name> [--dir src/services] [--force]',
    summary: 'A command in the old shape.',
    run({ args, flags }) {
      seen.push({ args, flags: { ...flags } });
      return Promise.resolve();
    },
  };
  const run = (...argv: string[]) =>
    runCli(argv, {
      io: { out: (l) => output.out.push(l), err: (l) => output.err.push(l) },
      env: {},
      version: '9.9.9',
      connect: () => new MemoryTransport({ broker }),
    });
  const text = () => output.out.join('\n');

  beforeAll(async () => {
    const setup = new MemoryTransport({ broker });
    await setup.connect();
    await setup.createTopics([{ name: 'orders', partitions: 2, compacted: false }]);
    await setup.produce('orders', [
      { key: Buffer.from('a'), value: Buffer.from('1'), partition: 0 },
      { key: Buffer.from('b'), value: Buffer.from('2'), partition: 1 },
    ]);
    await setup.setCommittedOffsets('billing', 'orders', [0, 1]);
    await setup.disconnect();
  });
  beforeEach(() => {
    output.out.length = 0;
    output.err.length = 0;
  });

  it("prints a command's own help, with its arguments and examples", async () => {
    expect(await run('groups', 'lag', '--help')).toBe(0);
    expect(text()).toContain('Usage: streamwise groups lag [options] <group> <topic>');
    expect(text()).toContain('Examples:\n  $ streamwise groups lag billing-service orders');
    expect(text()).not.toContain('topology');
    const own = text();
    output.out.length = 0;
    expect(await run('help', 'groups')).toBe(0);
    expect(text()).toContain('lag [options] <group> <topic>');
    output.out.length = 0;
    expect(await run('help', 'replay')).toBe(0);
    expect(text()).toContain('--to-time <ISO-8601>');
    expect(own).not.toEqual(text());
    output.out.length = 0;
    expect(await run('help', 'groups', 'lag')).toBe(0);
    expect(text()).toEqual(own);
  });

  it('documents the exit codes in the main help', async () => {
    expect(await run('--help')).toBe(0);
    expect(text()).toContain('Exit codes:\n  0  success');
  });

  it('names an unknown command on stderr, suggests the nearest one and exits 2', async () => {
    expect(await run('topcs', 'list')).toBe(2);
    expect(output.out).toEqual([]);
    expect(output.err.join('\n')).toContain(
      "error: unknown command 'topcs'\n(Did you mean topics?)",
    );
  });

  it('exits 2 on a missing argument or an option without its value', async () => {
    expect(await run('topics', 'describe')).toBe(2);
    expect(output.err.join('\n')).toContain("error: missing required argument 'topic'");
    expect(await run('replay', 'g', 'orders', '--to-time')).toBe(2);
    expect(output.err.join('\n')).toContain("option '--to-time <ISO-8601>' argument missing");
  });

  it('prints usage on stderr and exits 2 when no command is given', async () => {
    expect(await run()).toBe(2);
    expect(output.err.join('\n')).toContain('Usage: streamwise [options] [command]');
  });

  it('prints JSON on the read commands', async () => {
    expect(await run('topics', 'list', '--json')).toBe(0);
    expect(JSON.parse(text())).toEqual(['orders']);
    output.out.length = 0;
    expect(await run('topics', 'describe', 'orders', '--json')).toBe(0);
    expect(JSON.parse(text())).toEqual({
      topic: 'orders',
      partitions: 2,
      cleanupPolicy: 'delete',
      offsets: [
        { partition: 0, start: 0, end: 1, records: 1 },
        { partition: 1, start: 0, end: 1, records: 1 },
      ],
    });
    output.out.length = 0;
    expect(await run('groups', 'lag', 'billing', 'orders', '--json')).toBe(0);
    expect(JSON.parse(text())).toEqual({
      group: 'billing',
      topic: 'orders',
      totalLag: 1,
      partitions: [
        { partition: 0, committed: 0, end: 1, lag: 1 },
        { partition: 1, committed: 1, end: 1, lag: 0 },
      ],
    });
  });

  it('registers a command written in the old shape, its options read from its usage', async () => {
    const withLegacy = (...argv: string[]) =>
      runCli(argv, {
        io: { out: (l) => output.out.push(l), err: (l) => output.err.push(l) },
        env: {},
        version: '9.9.9',
        commands: [legacy],
      });
    expect(await withLegacy('legacy', 'thing', 'x', '--dir', 'lib', '--force', '-b', 'h:1')).toBe(
      0,
    );
    expect(seen).toEqual([{ args: ['x'], flags: { dir: 'lib', force: true, brokers: 'h:1' } }]);
    expect(await withLegacy('legacy', 'thing', '--help')).toBe(0);
    expect(text()).toContain(
      'Usage: streamwise legacy thing <name> [--dir src/services] [--force]',
    );
    expect(await withLegacy('legacy', 'thing', 'x', '--nope')).toBe(2);
  });
});

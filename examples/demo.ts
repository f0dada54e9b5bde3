import 'reflect-metadata';
import { runQuickstart } from './quickstart/run-quickstart';

const HELP = `Usage: npm run demo

Runs the quickstart example (examples/quickstart) on the embedded in-memory broker and prints
every record that flows: topic[partition]@offset, the event id, and the value.`;

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return;
  }
  await runQuickstart((line) => console.log(line));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

/**
 * A fix for kafkajs 2.2.4 (frozen, no release to wait for): its read_committed filter walks the
 * records of a fetched partition against the broker's list of aborted transactions and only ever
 * looks at the head of that list, as if it were sorted by first offset. The broker lists them in
 * the order they ended. A transaction that began before another but ended after it is then never
 * entered, and its records reach the consumer although they were aborted. Exactly-once services
 * hit this in normal operation: one transactional producer per input partition, all writing to the
 * same output partitions, and a fenced or failed transaction aborted while another is open.
 *
 * The fix sorts each partition's list by first offset before kafkajs reads it (what the Java
 * client does with a priority queue). kafkajs looks up `parse` on the Fetch response module at
 * every request, so wrapping it there takes effect whenever it is installed, whatever loaded
 * kafkajs first.
 */
import { createRequire } from 'node:module';

interface AbortedTransaction {
  readonly firstOffset: string;
}

interface FetchedTopic {
  readonly partitions?: readonly { abortedTransactions?: AbortedTransaction[] }[];
}

interface FetchResponseModule {
  parse: (data: unknown) => unknown;
}

/** The Fetch versions whose responses carry aborted transactions (v6, v9 and v10 reuse others). */
const FETCH_VERSIONS = [4, 5, 6, 7, 8, 9, 10, 11];
const WRAPPED = Symbol.for('streamwise.kafkajs.sortedAbortedTransactions');

/** Sorts every partition's aborted transactions of a parsed Fetch response by first offset. */
export function sortAbortedTransactions(response: unknown): void {
  const topics = (response as { responses?: readonly FetchedTopic[] } | undefined)?.responses;
  for (const topic of topics ?? []) {
    for (const partition of topic.partitions ?? []) {
      const aborted = partition.abortedTransactions;
      if (aborted !== undefined && aborted.length > 1) {
        aborted.sort((a, b) => compareOffsets(a.firstOffset, b.firstOffset));
      }
    }
  }
}

/** Installs the fix once per process (idempotent). */
export function sortKafkajsAbortedTransactions(): void {
  const load = createRequire(__filename);
  for (const version of FETCH_VERSIONS) {
    const module = load(
      `kafkajs/src/protocol/requests/fetch/v${version}/response`,
    ) as FetchResponseModule & { [WRAPPED]?: true };
    if (module[WRAPPED] === true) continue;
    const parse = module.parse;
    module.parse = async (data: unknown): Promise<unknown> => {
      const parsed = await parse(data);
      sortAbortedTransactions(parsed);
      return parsed;
    };
    module[WRAPPED] = true;
  }
}

function compareOffsets(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

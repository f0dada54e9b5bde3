import type { EventEmitter } from 'node:events';

import autocannon from 'autocannon';

import type { BenchContext } from './context';
import type { RunResult, Scenario } from './measure';
import { QueryInstances } from './query-instances';
import { percentiles } from './stats';

/**
 * A key-routed @Query GET under load (autocannon, in this process), against two app instances in
 * child processes. Both scenarios ask the same instance: `query-local` for keys it holds,
 * `query-forwarded` for keys the other instance holds, so every request is forwarded once. The
 * instances start once, before the first run, and serve both scenarios' runs.
 */
export function queryScenarios(context: BenchContext): Scenario[] {
  let instances: Promise<QueryInstances> | undefined;
  const started = (): Promise<QueryInstances> => (instances ??= QueryInstances.start(context));
  const close = async (): Promise<void> => {
    const running = instances;
    instances = undefined;
    if (running !== undefined) await (await running.catch(() => undefined))?.stop();
  };
  const { queryConnections, querySeconds } = context.config;
  const load = `${queryConnections} connections for ${querySeconds} s`;
  return [
    {
      id: 'query-local',
      label: `GET /items/:id (key-routed) at the instance holding the key, ${load} (baseline)`,
      unit: 'req/s',
      runOnce: async () => {
        const fixture = await started();
        return loadKeys(context, fixture.askedUrl, fixture.localKeys);
      },
      close,
    },
    {
      id: 'query-forwarded',
      label: `the same GET at the instance not holding the key: forwarded to the other, ${load}`,
      unit: 'req/s',
      baseline: 'query-local',
      runOnce: async () => {
        const fixture = await started();
        return loadKeys(context, fixture.askedUrl, fixture.forwardedKeys);
      },
      close,
    },
  ];
}

async function loadKeys(
  context: BenchContext,
  url: string,
  keys: readonly string[],
): Promise<RunResult> {
  const { queryConnections, querySeconds } = context.config;
  let next = 0;
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(
      {
        url,
        connections: queryConnections,
        duration: querySeconds,
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => ({
              ...request,
              path: `/items/${keys[next++ % keys.length]}`,
            }),
          },
        ],
      },
      (error: unknown, done) =>
        error === null || error === undefined
          ? resolve(done)
          : reject(error instanceof Error ? error : new Error('autocannon failed')),
    );
    // autocannon's own percentiles come from whole-millisecond buckets: with a local p99 of 2 ms
    // the 3x line could only be told at 6 ms. Its run emits every answer's time in fractions of
    // a millisecond (after the client, its status and size: its typings leave the client out);
    // like autocannon, only 2xx answers count.
    (run as EventEmitter).on('response', (...args: unknown[]) => {
      const [, statusCode, , ms] = args;
      const status = Number(statusCode);
      if (status >= 200 && status < 300 && typeof ms === 'number') latencies.push(ms);
    });
  });
  const failed = result.non2xx + result.errors;
  const [p50, p99] =
    latencies.length === 0
      ? [Number.NaN, Number.NaN]
      : percentiles(latencies, [50, 99]).map(round2);
  return {
    records: result.requests.total,
    ms: result.duration * 1_000,
    note: `p50 ${p50} ms, p99 ${p99} ms (autocannon's whole-ms p99 ${result.latency.p99})${failed === 0 ? '' : `; ${failed} FAILED (non-2xx ${result.non2xx}, errors ${result.errors})`}`,
    extra: { p50Ms: p50, p99Ms: p99, failed },
  };
}

function round2(ms: number): number {
  return Math.round(ms * 100) / 100;
}

import { within } from '../clock/within';
import type { PartitionLag, ReadinessCheck, ReadinessProvider } from './readiness-provider';

/** A health probe has a deadline of its own; lag that takes longer is reported as unknown. */
const LAG_TIMEOUT_MS = 2_000;

export interface ReadinessBody {
  readonly status: 'ready' | 'not-ready';
  readonly checks: readonly ReadinessCheck[];
  readonly lag: readonly PartitionLag[];
}

/**
 * What `GET /health/ready` answers: 200 when the provider is ready, else 503. A provider that
 * throws, or lag that cannot be read, counts as not ready: readiness means "caught up", and that
 * cannot be shown without it.
 */
export async function readinessReport(
  readiness: ReadinessProvider,
): Promise<{ readonly status: 200 | 503; readonly body: ReadinessBody }> {
  let ready: boolean;
  let checks: ReadinessCheck[];
  try {
    ready = readiness.isReady();
    checks = [...readiness.checks()];
  } catch (error) {
    ready = false;
    checks = [
      { name: 'readiness', ready: false, detail: `the provider failed: ${message(error)}` },
    ];
  }
  let lag: readonly PartitionLag[] = [];
  try {
    lag = await within(
      readiness.lag(),
      LAG_TIMEOUT_MS,
      () => new Error(`no answer within ${LAG_TIMEOUT_MS} ms`),
    );
  } catch (error) {
    ready = false;
    checks.push({ name: 'lag', ready: false, detail: `lag unavailable: ${message(error)}` });
  }
  return {
    status: ready ? 200 : 503,
    body: { status: ready ? 'ready' : 'not-ready', checks, lag },
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

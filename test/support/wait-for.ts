/** Waits still polling when their test ends; see abandonWaits(). */
const pending = new Set<() => void>();

/** Thrown by a waitFor whose test has already ended (failed or timed out) while it was waiting. */
export class WaitAbandonedError extends Error {
  constructor(description: string) {
    super(`stopped waiting for ${description}: its test has already ended`);
    this.name = 'WaitAbandonedError';
  }
}

/**
 * Ends every waitFor still polling. Runs after each test (test/support/after-each.ts): when Jest
 * gives up on a test (its timeout), the test's body keeps running, and a wait in it would keep
 * polling for up to its own timeout after the run, so Jest would not exit on its own.
 */
export function abandonWaits(): void {
  for (const abandon of [...pending]) abandon();
}

/**
 * Waits until `condition` returns a truthy value, checking on every event-loop turn (and at most
 * every `intervalMs`). For tests against a real broker, where there is no drain(): it waits on a
 * condition, never for a fixed time, and fails with `description` when `timeoutMs` passes.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  description: string,
  { timeoutMs = 20_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let abandoned = false;
  let wake = (): void => undefined;
  const abandon = (): void => {
    abandoned = true;
    wake();
  };
  pending.add(abandon);
  try {
    for (;;) {
      if (abandoned) throw new WaitAbandonedError(description);
      try {
        const value = await condition();
        if (value !== undefined && value !== null && value !== false) return value;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() > deadline) {
        const suffix = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
        throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}${suffix}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    pending.delete(abandon);
  }
}

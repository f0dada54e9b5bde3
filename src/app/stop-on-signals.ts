import { describePending } from '../errors/stop-timeout-error';
import type { Logger } from '../logging/logger';

/** The SIGTERM and SIGINT handlers stopOnSignals installed. */
export interface SignalHandlers {
  /** Whether a signal came: the handler then stops the app and ends the process. */
  readonly received: boolean;
  /** Removes the handlers again. */
  remove(): void;
}

/** Below the 30 s Kubernetes waits after SIGTERM: the process says why it ends before a SIGKILL. */
export const DEFAULT_SIGNAL_STOP_TIMEOUT_MS = 25_000;

/**
 * Stops gracefully on SIGTERM and SIGINT, then exits (1 when the stop failed or took longer than
 * `timeoutMs`). An app installs them as start() begins: a signal during a restore of minutes must
 * stop it gracefully too, not kill it (Node's default) with its consumers still in their groups.
 */
export function stopOnSignals(
  stop: () => Promise<void>,
  logger: Logger,
  timeoutMs = DEFAULT_SIGNAL_STOP_TIMEOUT_MS,
  pending: () => readonly string[] = () => [],
): SignalHandlers {
  let received = false;
  const handler = (): void => {
    received = true;
    logger.info('signal received; stopping gracefully', { timeoutMs });
    // Unreferenced: a stop that finishes in time ends the process without waiting for it.
    setTimeout(() => {
      logger.error(
        `graceful stop did not finish within ${timeoutMs} ms (signalStopTimeoutMs); still waiting for ${describePending(pending())}. Exiting with code 1: records still in flight are not committed and will be delivered again; a handler that never settles is the usual cause.`,
      );
      process.exit(1);
    }, timeoutMs).unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('graceful stop failed', { error });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
  return {
    get received() {
      return received;
    },
    remove() {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
    },
  };
}

/**
 * `starting`, except that a start a signal interrupted never settles: the handler exits the
 * process once the stop is done, and a rejection would reach the caller's catch (typically an
 * exit 1) in the middle of that stop.
 */
export function unlessSignalled<T>(
  starting: Promise<T>,
  signals: SignalHandlers | undefined,
): Promise<T> {
  return starting.catch(async (error: unknown) => {
    if (signals?.received === true) return new Promise<T>(() => undefined);
    throw error;
  });
}

import type { Logger } from '../logging/logger';

/**
 * Stops gracefully on SIGTERM and SIGINT, then exits (1 when the stop failed). Returns the
 * function that removes the handlers again.
 */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): () => void {
  const handler = (): void => {
    logger.info('signal received; stopping gracefully');
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
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}

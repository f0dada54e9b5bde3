/**
 * `promise`, or a rejection with `late()` once `ms` of wall time passed first (whatever the app's
 * clock: a manual clock does not move a limit on real waiting). The promise is not cancelled,
 * only no longer waited for; the timer goes as soon as either side settles.
 */
export async function within<T>(promise: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

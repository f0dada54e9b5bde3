/** A promise settled from outside, for "has this happened yet?" milestones. */
export interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

export function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Rejections are observed by start(); this keeps an unobserved one from being "unhandled".
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Time as the runtime sees it: the system clock in production, a manual one in TestBed. */
export interface Clock {
  now(): number;
  /** Resolves after `ms` of this clock's time; an abort cancels the timer and resolves at once. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

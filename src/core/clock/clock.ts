/** Time as the runtime sees it: the system clock in production, a manual one in TestBed. */
export interface Clock {
  now(): number;
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
}

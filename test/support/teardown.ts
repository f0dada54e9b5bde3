/**
 * What a test started and must stop, stopped in reverse order after the test, whether it passed,
 * failed or timed out. A `finally` inside the test body does not cover the last case: when Jest
 * gives up on a test its body keeps running, and a client it opened keeps Jest from exiting.
 */
export class Teardown {
  readonly #steps: { what: string; stop: () => unknown }[] = [];

  /** Registers `stop` for `resource` and returns the resource. */
  add<T>(what: string, resource: T, stop: (resource: T) => unknown): T {
    this.#steps.push({ what, stop: () => stop(resource) });
    return resource;
  }

  /** Runs every registered step (the newest first), each even if an earlier one failed. */
  async run(): Promise<void> {
    const failures: string[] = [];
    for (const step of this.#steps.splice(0).reverse()) {
      try {
        await step.stop();
      } catch (error) {
        failures.push(`${step.what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length > 0) throw new Error(`teardown failed: ${failures.join('; ')}`);
  }
}

/** A Teardown that runs after each test of the enclosing describe block. */
export function teardownAfterEach(): Teardown {
  const teardown = new Teardown();
  afterEach(() => teardown.run());
  return teardown;
}

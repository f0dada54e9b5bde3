/**
 * kafkajs swallows the answer of a FindCoordinator request the broker refused (missing DESCRIBE
 * on a group or a transactional id) and throws "Failed to find group coordinator", which reads
 * as a broker still starting and is retried. It does log the refusal first, at ERROR, on its
 * Connection logger: the log adapter records it here, so the error mapping can tell a coordinator
 * the broker will not name from one it has not elected yet.
 */
export class AuthorizationDenials {
  #last: { readonly type: string; readonly at: number } | undefined;

  constructor(
    private readonly now: () => number = Date.now,
    /** How long a refusal explains a coordinator not found; kafkajs throws right after logging. */
    private readonly windowMs = 30_000,
  ) {}

  /** A kafkajs Connection log entry: records the refusal if it is one. */
  note(message: string, error: unknown): void {
    // kafkajs names the FindCoordinator API after its old name, GroupCoordinator.
    if (!/^Response (Find|Group)Coordinator\(/.test(message) || typeof error !== 'string') return;
    const type = DENIALS.find(([pattern]) => pattern.test(error))?.[1];
    if (type !== undefined) this.#last = { type, at: this.now() };
  }

  /** The Kafka error type of a refusal noted within the window, if any. */
  recent(): string | undefined {
    const last = this.#last;
    return last !== undefined && this.now() - last.at <= this.windowMs ? last.type : undefined;
  }
}

const DENIALS: readonly (readonly [RegExp, string])[] = [
  [/group authorization failed/i, 'GROUP_AUTHORIZATION_FAILED'],
  [/transactional id authorization failed/i, 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED'],
];

/**
 * The refusals of every client in this process. kafkajs' errors do not say which client threw
 * them, so the mapping of an error looks here; a refusal is only taken as the explanation of a
 * coordinator not found within the window after it.
 */
export const PROCESS_DENIALS = new AuthorizationDenials();

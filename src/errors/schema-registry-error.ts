import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/**
 * The schema registry refused a request or could not be reached. `status` is the HTTP status when
 * it answered; unreachable or 5xx answers are retriable, a 404 (unknown id or subject) is not.
 */
export class SchemaRegistryError extends StreamwiseError {
  static override readonly code = ErrorCodes.SCHEMA_REGISTRY;

  readonly status: number | undefined;

  constructor(
    message: string,
    options: { status?: number; retriable?: boolean; cause?: unknown } = {},
  ) {
    super(ErrorCodes.SCHEMA_REGISTRY, message, {
      retriable: options.retriable ?? false,
      cause: options.cause,
    });
    this.status = options.status;
  }
}

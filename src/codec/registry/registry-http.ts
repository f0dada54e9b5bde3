import { SchemaRegistryError } from '../../errors/schema-registry-error';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const TIMEOUT_MS = 10_000;

export interface RegistryResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * One JSON request to a registry's REST API. Answers of any status come back (callers decide what
 * a 404 means); an unreachable registry or a 5xx is a retriable SchemaRegistryError.
 */
export async function registryRequest(
  baseUrl: string,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
): Promise<RegistryResponse> {
  const url = `${baseUrl}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { Accept: CONTENT_TYPE, 'Content-Type': CONTENT_TYPE },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new SchemaRegistryError(
      `The schema registry at ${baseUrl} did not answer ${method} ${path}: ${text(error)}. Check that it runs and that schemaRegistry.url points at it.`,
      { retriable: true, cause: error },
    );
  }
  const raw = await response.text();
  let parsed: unknown = raw;
  try {
    parsed = raw === '' ? undefined : JSON.parse(raw);
  } catch {
    // Not JSON (a proxy's error page, say): keep the text for the error message.
  }
  if (response.status >= 500) {
    throw new SchemaRegistryError(
      `The schema registry at ${baseUrl} failed ${method} ${path} with HTTP ${response.status}: ${errorMessage(parsed)}.`,
      { status: response.status, retriable: true },
    );
  }
  return { status: response.status, body: parsed };
}

/** The registry's own explanation of a failed request (`{ message }`), or the raw body. */
export function errorMessage(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'message' in body) {
    return String(body.message);
  }
  return typeof body === 'string' ? body.slice(0, 500) : JSON.stringify(body);
}

function text(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

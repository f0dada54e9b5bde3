import { type Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ConnectionOptions } from 'node:tls';

import { SchemaRegistryError } from '../../errors/schema-registry-error';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const TIMEOUT_MS = 10_000;

export interface RegistryResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Where and how to reach the registry: its base URL, basic auth and, for https, an agent. */
export interface RegistryConnection {
  readonly url: string;
  readonly authorization: string | undefined;
  readonly agent: HttpAgent | undefined;
}

export function registryConnection(
  url: string,
  auth: { readonly username: string; readonly password: string } | undefined,
  tls: ConnectionOptions | undefined,
): RegistryConnection {
  return {
    url,
    authorization:
      auth === undefined
        ? undefined
        : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`,
    // Node's fetch takes no TLS options, hence node:https with an agent that holds them.
    agent: tls !== undefined && url.startsWith('https:') ? new HttpsAgent(tls) : undefined,
  };
}

/**
 * One JSON request to a registry's REST API. Answers of any status come back (callers decide what
 * a 404 means); an unreachable registry or a 5xx is a retriable SchemaRegistryError.
 */
export async function registryRequest(
  connection: RegistryConnection,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
): Promise<RegistryResponse> {
  const baseUrl = connection.url;
  let response: { status: number; raw: string };
  try {
    response = await send(connection, method, path, body);
  } catch (error) {
    throw new SchemaRegistryError(
      `The schema registry at ${baseUrl} did not answer ${method} ${path}: ${text(error)}. Check that it runs and that schemaRegistry.url (and schemaRegistry.tls for https) points at it.`,
      { retriable: true, cause: error },
    );
  }
  let parsed: unknown = response.raw;
  try {
    parsed = response.raw === '' ? undefined : JSON.parse(response.raw);
  } catch {
    // Not JSON (a proxy's error page, say): keep the text for the error message.
  }
  if (response.status >= 500) {
    throw new SchemaRegistryError(
      `The schema registry at ${baseUrl} failed ${method} ${path} with HTTP ${response.status}: ${errorMessage(parsed)}.`,
      { status: response.status, retriable: true },
    );
  }
  if (response.status === 401 || response.status === 403) {
    throw new SchemaRegistryError(
      `The schema registry at ${baseUrl} refused ${method} ${path} with HTTP ${response.status}: ${errorMessage(parsed)}. Check the login in schemaRegistry.auth (username and password, e.g. an API key and secret) and what it is allowed to do.`,
      { status: response.status },
    );
  }
  return { status: response.status, body: parsed };
}

function send(
  connection: RegistryConnection,
  method: string,
  path: string,
  body: unknown,
): Promise<{ status: number; raw: string }> {
  const url = new URL(`${connection.url}${path}`);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { Accept: CONTENT_TYPE, 'Content-Type': CONTENT_TYPE };
  if (connection.authorization !== undefined) headers.Authorization = connection.authorization;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method, headers, agent: connection.agent, signal: AbortSignal.timeout(TIMEOUT_MS) },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            raw: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
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

/** Characters a path segment keeps as they are (RFC 3986 unreserved); all else is %XX-encoded. */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * A Location (or any URL path) for a resource named by ids: `locationOf('/v1/orders', id)`.
 * Each id becomes exactly one path segment, its UTF-8 bytes percent-encoded, so an id with
 * `/`, `..`, `?`, `#`, spaces, CR/LF or any unicode points at that id and nowhere else, and the
 * server's route gives the same id back as its path param. (Ids `.` and `..` alone cannot be
 * addressed by a path at all: URL parsers drop them, encoded or not.)
 */
export function locationOf(base: string, ...ids: readonly (string | number)[]): string {
  const segments = ids.map((id) => encodeSegment(String(id)));
  return [base.replace(/\/+$/, ''), ...segments].join('/');
}

function encodeSegment(id: string): string {
  let encoded = '';
  for (const char of id) {
    if (UNRESERVED.test(char)) encoded += char;
    else encoded += percentEncode(char);
  }
  return encoded;
}

/**
 * A location as a header can carry it: characters a header value cannot hold (controls, space,
 * anything outside ASCII) are percent-encoded as UTF-8, the rest is sent as given. This keeps a
 * Location built by hand from an id from failing the answer (or injecting a header) after the
 * command was written; locationOf() is still what makes such an id point at itself.
 */
export function headerSafeLocation(location: string): string {
  // Fast path: most locations are plain ASCII already.
  if (/^[\x21-\x7e]*$/.test(location)) return location;
  let safe = '';
  for (const char of location) {
    const code = char.codePointAt(0) ?? 0;
    safe += code > 0x20 && code < 0x7f ? char : percentEncode(char);
  }
  return safe;
}

function percentEncode(char: string): string {
  let out = '';
  for (const byte of Buffer.from(char, 'utf8')) {
    out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Java's .properties format, as Kafka's tools read a --command-config file: `key=value`,
 * `key: value` or `key value`; `#` and `!` comment lines; a line ending in a backslash continues
 * on the next (whose leading blanks are dropped); escapes \t \n \r \f \uXXXX and \<char>.
 * Written here because the format is small and no tiny, well-kept npm parser covers all of it.
 */
export function parseProperties(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of logicalLines(text)) {
    const { key, value } = splitEntry(line);
    entries.set(unescape(key), unescape(value));
  }
  return entries;
}

function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending: string | undefined;
  for (const raw of text.split(/\r\n|\n|\r/)) {
    const line =
      pending === undefined ? raw.replace(/^[ \t\f]+/, '') : pending + raw.replace(/^[ \t\f]+/, '');
    if (pending === undefined && (line === '' || line.startsWith('#') || line.startsWith('!'))) {
      continue;
    }
    if (endsInOddBackslashes(line)) {
      pending = line.slice(0, -1);
      continue;
    }
    pending = undefined;
    lines.push(line);
  }
  if (pending !== undefined && pending !== '') lines.push(pending);
  return lines;
}

function endsInOddBackslashes(line: string): boolean {
  const trailing = /\\*$/.exec(line)?.[0].length ?? 0;
  return trailing % 2 === 1;
}

/** The key ends at the first unescaped `=`, `:` or blank; one separator and blanks follow. */
function splitEntry(line: string): { key: string; value: string } {
  let end = 0;
  while (end < line.length && !/[=: \t\f]/.test(line[end])) end += line[end] === '\\' ? 2 : 1;
  const key = line.slice(0, end);
  const rest = line.slice(end).replace(/^[ \t\f]*/, '');
  const value = /^[=:]/.test(rest) ? rest.slice(1).replace(/^[ \t\f]*/, '') : rest;
  return { key, value };
}

const ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, escaped: string) =>
    escaped.length === 5
      ? String.fromCharCode(parseInt(escaped.slice(1), 16))
      : (ESCAPES[escaped] ?? escaped),
  );
}

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';

const SERVICE_LIST = /(export const services\b[^=]*=\s*\[)([^\]]*)(\])/;
const EXPORT_LIST = /^export \{([^}]*)\};?$/m;
const IMPORT_LINE = /^import [^;]*;$/gm;

/**
 * Adds `className` (exported by `serviceFile`) to a generated project's services module: an
 * import, the `export { ... }` list that `streamwise topology` reads, and the `services` array
 * main.ts runs. Returns why it could not, leaving the file untouched, or undefined once done.
 */
export function registerService(
  servicesFile: string,
  serviceFile: string,
  className: string,
): string | undefined {
  const text = readFileSync(servicesFile, 'utf8');
  const list = SERVICE_LIST.exec(text);
  if (list === null) return 'it has no `export const services = [ ... ]` list';
  const items = list[2]
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.includes(className)) return `${className} is already in its services list`;
  const specifier = importSpecifier(servicesFile, serviceFile);
  let next = text.replace(
    SERVICE_LIST,
    (_match, head: string, _body: string, tail: string) =>
      `${head}\n${[...items, className].map((item) => `  ${item},\n`).join('')}${tail}`,
  );
  next = next.replace(EXPORT_LIST, (_match, names: string) => {
    const exported = names
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
    return `export { ${[...exported, className].join(', ')} };`;
  });
  const importLine = `import { ${className} } from '${specifier}';`;
  const imports = [...next.matchAll(IMPORT_LINE)];
  const last = imports.at(-1);
  next =
    last === undefined
      ? `${importLine}\n${next}`
      : `${next.slice(0, last.index + last[0].length)}\n${importLine}${next.slice(last.index + last[0].length)}`;
  writeFileSync(servicesFile, next);
  return undefined;
}

function importSpecifier(from: string, to: string): string {
  const path = relative(dirname(from), to.replace(/\.ts$/, '')).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

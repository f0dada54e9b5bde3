/**
 * The JSON-pointer paths of every Infinity, -Infinity or NaN in `value`. JSON has no such numbers
 * (JSON.stringify writes them as null, and ajv takes Infinity for an integer), so a value holding
 * one cannot be written as JSON faithfully.
 */
export function nonFiniteNumberPaths(value: unknown): string[] {
  const paths: string[] = [];
  const seen = new WeakSet<object>();
  const visit = (node: unknown, path: string): void => {
    if (typeof node === 'number') {
      if (!Number.isFinite(node)) paths.push(`${path === '' ? '/' : path} is ${String(node)}`);
      return;
    }
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${path}/${index}`));
      return;
    }
    for (const [key, item] of Object.entries(node)) {
      visit(item, `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`);
    }
  };
  visit(value, '');
  return paths;
}

/** The message for those paths: what is wrong and what to send instead. */
export function nonFiniteNumbersText(paths: readonly string[]): string {
  return `${paths.join(', ')}: JSON has no Infinity or NaN (they would be written as null); send a finite number`;
}

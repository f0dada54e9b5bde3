/** A value as an option message shows it: `"loud"`, `0`, `an array`, `class Foo`, `a Foo`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return String(value);
  }
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') {
    return value.name === ''
      ? 'a function'
      : `${isClass(value) ? 'class' : 'function'} ${value.name}`;
  }
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (typeof value !== 'object') return typeof value;
  const prototype = Object.getPrototypeOf(value) as { constructor?: unknown } | null;
  const type = prototype?.constructor;
  const name = typeof type === 'function' ? type.name : '';
  return name === '' || name === 'Object' ? 'an object' : `a ${name}`;
}

function isClass(value: object): boolean {
  return Function.prototype.toString.call(value).startsWith('class');
}

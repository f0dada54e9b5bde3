/** The name to use in error messages for a decorated class or its prototype. */
export function className(target: object): string {
  if (typeof target === 'function') return target.name || '<anonymous class>';
  const constructor = (target as { constructor?: { name?: string } }).constructor;
  return constructor?.name || '<anonymous class>';
}

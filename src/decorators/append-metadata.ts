import 'reflect-metadata';

/** Adds an entry to the list declared on this very class (or prototype), never to a parent's. */
export function appendMetadata<T>(key: string, target: object, entry: T): void {
  const own = (Reflect.getOwnMetadata(key, target) as readonly T[] | undefined) ?? [];
  Reflect.defineMetadata(key, [...own, entry], target);
}

/** Entries declared on this very class (or prototype), without inherited ones. */
export function readOwnMetadataList<T>(key: string, target: object): readonly T[] {
  return (Reflect.getOwnMetadata(key, target) as readonly T[] | undefined) ?? [];
}

/**
 * Entries of the class and its parents, parents first. An entry a subclass re-declares (same
 * `identity`, e.g. an overridden handler method) replaces the parent's in place.
 */
export function readMetadataList<T>(
  key: string,
  target: object,
  identity: (entry: T) => string,
): readonly T[] {
  const chain: object[] = [];
  for (
    let level: object | null = target;
    level !== null && level !== Object.prototype;
    level = Object.getPrototypeOf(level) as object | null
  ) {
    chain.unshift(level);
  }
  const merged = new Map<string, T>();
  for (const level of chain) {
    for (const entry of readOwnMetadataList<T>(key, level)) merged.set(identity(entry), entry);
  }
  return [...merged.values()];
}

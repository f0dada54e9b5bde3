import 'reflect-metadata';

/**
 * Adds an entry to a class's list under `key`. The list is copied, never mutated, so a subclass
 * adds to its own list without changing its parent's.
 */
export function appendMetadata<T>(key: string, target: object, entry: T): void {
  const existing = (Reflect.getMetadata(key, target) as readonly T[] | undefined) ?? [];
  Reflect.defineMetadata(key, [...existing, entry], target);
}

export function readMetadataList<T>(key: string, target: object): readonly T[] {
  return (Reflect.getMetadata(key, target) as readonly T[] | undefined) ?? [];
}

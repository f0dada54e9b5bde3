/** The Confluent compatibility levels a registry subject can have. */
export const COMPATIBILITY_LEVELS = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
] as const;

export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

export function isCompatibilityLevel(candidate: unknown): candidate is CompatibilityLevel {
  return (COMPATIBILITY_LEVELS as readonly unknown[]).includes(candidate);
}

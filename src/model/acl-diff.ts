import type { AclAdmin, AclBinding } from '../transport/acl-binding';
import { aclKey } from '../transport/acl-binding';

/**
 * The generated ACLs against what the broker holds for the same principals: what to add, what is
 * there already, and what the broker holds beyond them (`others`: DENY or host-bound ACLs, which
 * streamwise never generates). Nothing is ever removed: extra ACLs may be someone's on purpose.
 */
export interface AclDiff {
  readonly toAdd: readonly AclBinding[];
  readonly present: readonly AclBinding[];
  readonly extra: readonly AclBinding[];
  readonly others: number;
}

export function diffAcls(
  wanted: readonly AclBinding[],
  held: readonly AclBinding[],
  others = 0,
): AclDiff {
  const heldKeys = new Set(held.map(aclKey));
  const wantedKeys = new Set(wanted.map(aclKey));
  return {
    toAdd: wanted.filter((binding) => !heldKeys.has(aclKey(binding))),
    present: wanted.filter((binding) => heldKeys.has(aclKey(binding))),
    extra: held.filter((binding) => !wantedKeys.has(aclKey(binding))),
    others,
  };
}

/** The diff of `wanted` against the broker; with `apply`, creates what is missing. */
export async function reconcileAcls(
  admin: AclAdmin,
  wanted: readonly AclBinding[],
  { apply }: { apply: boolean },
): Promise<AclDiff> {
  const principals = [...new Set(wanted.map((binding) => binding.principal))];
  const { bindings, others } = await admin.held(principals);
  const diff = diffAcls(wanted, bindings, others);
  if (apply && diff.toAdd.length > 0) await admin.create(diff.toAdd);
  return diff;
}

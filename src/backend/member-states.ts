/**
 * The states of a batch's members as the NetworkBatch interface exchanges them: per state one
 * array [B, rows, cols] (readStates), split back into the members' own arrays (writeStates),
 * shared by the backends that keep each member's states on the host.
 */
import type { CompiledRule } from "../ir/program.ts";
import { concatenate } from "../util/concatenate.ts";
import { InvalidArgumentError } from "../util/errors.ts";

/** A member's states: float64, or float32 for a batch that computes in float32. */
type MemberStates = readonly { readonly states: readonly (Float64Array | Float32Array)[] }[];

/** Per state, the members' values end to end: [B, rows, cols] (float32 values widened exactly). */
export function gatherStates(rule: CompiledRule, members: MemberStates): Float64Array[] {
  const wide = (a: Float64Array | Float32Array) => (a instanceof Float64Array ? a : Float64Array.from(a));
  return rule.states.map((_, k) => concatenate(members.map((m) => wide(m.states[k]!))));
}

/**
 * Copies `states` (per state [B, rows, cols]) into the members' arrays, after checking every
 * length, so that a refused call changes nothing (a float32 member rounds each value).
 */
export function scatterStates(
  fn: string,
  rule: CompiledRule,
  states: readonly Float64Array[],
  members: MemberStates,
): void {
  const size = members.length;
  rule.states.forEach((s, k) => {
    const n = s.rows * s.cols;
    const a = states[k];
    if (!(a instanceof Float64Array) || a.length !== size * n) {
      throw new InvalidArgumentError(
        fn,
        `states[${k}] (${s.name})`,
        `a Float64Array of length ${size * n}`,
        a?.length,
      );
    }
  });
  rule.states.forEach((s, k) => {
    const n = s.rows * s.cols;
    members.forEach((m, b) => {
      m.states[k]!.set(states[k]!.subarray(b * n, (b + 1) * n));
    });
  });
}

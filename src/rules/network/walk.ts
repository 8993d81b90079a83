/** Walking matrix expressions: the operands of a node, and the names an expression uses. */
import type { At, MExpr } from "./spec.ts";

/** The operands of an expression node, in the order written. */
export function operandsOf(e: MExpr): readonly MExpr[] {
  switch (e.kind) {
    case "num":
    case "name":
      return [];
    case "negate":
    case "transpose":
      return [e.arg];
    case "power":
      return [e.base];
    case "call":
      return e.args;
    default:
      return [e.left, e.right];
  }
}

/**
 * The uses of names in `e`, in the order written, with their places (function names of calls
 * are not uses). The recursion is as deep as `e`, which the parser bounds (MAX_DEPTH).
 */
export function namesIn(e: MExpr, out: { name: string; at: At }[] = []): { name: string; at: At }[] {
  if (e.kind === "name") out.push({ name: e.name, at: e.at });
  for (const o of operandsOf(e)) namesIn(o, out);
  return out;
}

/**
 * The nesting of a network rule's expressions with its definitions substituted. Every recursion
 * over a rule (the shape checker, the lowering, the programs it builds) follows a definition or
 * target where its name is used, so the bound on one expression (MAX_DEPTH, enforced by the
 * parser) is not enough: a chain of definitions `a2 = a1 + 1`, `a3 = a2 + 1`, ... nests as deep
 * as it is long. This check walks the definitions with an explicit stack, so any file, however
 * long, is refused cleanly instead of exhausting the call stack; cycles are refused here too.
 */
import { RuleError } from "../rule-error.ts";
import { MAX_DEPTH } from "./parse-matrix-expr.ts";
import type { At, Definition, MExpr, NetworkRuleSpec } from "./spec.ts";
import { namesIn, operandsOf } from "./walk.ts";

/** Deepest nesting of an expression with its definitions and targets substituted. */
export const MAX_NESTING = 4 * MAX_DEPTH;

/**
 * The height of `e` (a leaf is 1); a name with a known height `of(name)` (a definition) counts
 * as 1 + that height. The recursion is as deep as `e` itself, which the parser bounds.
 */
function height(e: MExpr, of: (name: string) => number | undefined): number {
  if (e.kind === "name") return 1 + (of(e.name) ?? 0);
  let h = 0;
  for (const c of operandsOf(e)) h = Math.max(h, height(c, of));
  return 1 + h;
}

/**
 * Refuses, with a RuleError at the place, a definition or target defined in terms of itself
 * (directly or through others), and any expression nested deeper than {@link MAX_NESTING} with
 * its definitions substituted.
 */
export function checkNesting(rule: Omit<NetworkRuleSpec, "types">): void {
  const fail = (reason: string, at: At): never => {
    throw new RuleError(reason, at.line, at.column, rule.file);
  };
  const named = new Map<string, Definition>([...rule.targets, ...rule.definitions].map((d) => [d.name, d]));
  const heights = new Map<string, number>();
  const tooDeep = (what: string) =>
    `${what} nests deeper than ${MAX_NESTING} levels with its definitions substituted: shorten the chain of definitions it uses`;

  for (const root of named.keys()) {
    if (heights.has(root)) continue;
    const stack = [
      { name: root, uses: namesIn(named.get(root)!.expr).filter((u) => named.has(u.name)), next: 0 },
    ];
    const open = new Set([root]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.uses.length) {
        const use = top.uses[top.next++]!;
        if (heights.has(use.name)) continue;
        if (open.has(use.name)) {
          const from = stack.findIndex((f) => f.name === use.name);
          const cycle = [...stack.slice(from).map((f) => f.name), use.name];
          fail(
            `"${use.name}" is defined in terms of itself${cycle.length > 2 ? ` (${cycle.join(" -> ")})` : ""}`,
            use.at,
          );
        }
        open.add(use.name);
        stack.push({
          name: use.name,
          uses: namesIn(named.get(use.name)!.expr).filter((u) => named.has(u.name)),
          next: 0,
        });
      } else {
        const d = named.get(top.name)!;
        const h = height(d.expr, (n) => heights.get(n));
        if (h > MAX_NESTING) fail(tooDeep(`"${d.name}"`), d.at);
        heights.set(top.name, h);
        open.delete(top.name);
        stack.pop();
      }
    }
  }
  const roots: { what: string; expr: MExpr; at: At }[] = [
    ...rule.updates.map((u) => ({ what: `the update of ${u.state}`, expr: u.expr, at: u.at })),
    ...(rule.error ? [{ what: "error", expr: rule.error.expr, at: rule.error.at }] : []),
  ];
  for (const r of roots) if (height(r.expr, (n) => heights.get(n)) > MAX_NESTING) fail(tooDeep(r.what), r.at);
}

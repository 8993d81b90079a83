/**
 * Derived sweep parameters: `name=expression` evaluated per grid point over the constants, the
 * grid axes and the derived parameters before it, e.g. for seed 001's grids at fixed M + N
 * (section 5: M + N = 220, c = M/N): `M=round(c*T/(1+c))`, `N=T-M` with the constant T = 220.
 * Expressions use mathjs syntax.
 */
import { type MathNode, parse } from "mathjs";
import { InvalidArgumentError } from "../../util/errors.ts";
import type { ParamValue } from "./task.ts";

export interface Derivation {
  readonly name: string;
  readonly expression: string;
}

const FN = "parseDerivation";
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses `name=expression`. */
export function parseDerivation(spec: string): Derivation {
  const eq = typeof spec === "string" ? spec.indexOf("=") : -1;
  const name = eq > 0 ? spec.slice(0, eq).trim() : "";
  if (!NAME.test(name)) {
    throw new InvalidArgumentError(FN, "derive", "name=expression, e.g. M=round(c*T/(1+c))", spec);
  }
  const expression = spec.slice(eq + 1).trim();
  symbolsOf(expression, name);
  return { name, expression };
}

/** The variables an expression reads (function names excluded). */
export function symbolsOf(expression: string, name = "?"): string[] {
  let node: MathNode;
  try {
    node = parse(expression);
  } catch (e) {
    throw new InvalidArgumentError(
      FN,
      `derive ${name}`,
      "a valid expression",
      expression,
      (e as Error).message,
    );
  }
  const names = new Set<string>();
  node.traverse((child, path, parent) => {
    if ((child as { isSymbolNode?: boolean }).isSymbolNode) {
      const isFunctionName = (parent as { isFunctionNode?: boolean } | null)?.isFunctionNode && path === "fn";
      if (!isFunctionName) names.add((child as unknown as { name: string }).name);
    }
  });
  return [...names];
}

/**
 * Evaluates the derivations in order over `scope`, returning scope extended with each derived
 * value. A derivation must give a finite number and may only read names already defined.
 */
export function applyDerivations(
  scope: Readonly<Record<string, ParamValue>>,
  derivations: readonly Derivation[],
): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = { ...scope };
  for (const d of derivations) {
    const missing = symbolsOf(d.expression, d.name).filter((s) => !(s in out));
    if (missing.length > 0) {
      throw new InvalidArgumentError(
        "applyDerivations",
        `derive ${d.name}`,
        `an expression over defined names (${Object.keys(out).join(", ")})`,
        d.expression,
        `undefined: ${missing.join(", ")}`,
      );
    }
    const text = symbolsOf(d.expression, d.name).filter((s) => typeof out[s] !== "number");
    if (text.length > 0) {
      throw new InvalidArgumentError(
        "applyDerivations",
        `derive ${d.name}`,
        "an expression over numeric parameters",
        d.expression,
        `${text.join(", ")} ${text.length > 1 ? "are names" : "is a name"}, not a number`,
      );
    }
    const value = parse(d.expression)
      .compile()
      .evaluate({ ...out });
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new InvalidArgumentError(
        "applyDerivations",
        `derive ${d.name}`,
        "an expression with a finite numeric value",
        d.expression,
        `at ${JSON.stringify(out)} it gave ${String(value)}`,
      );
    }
    out[d.name] = value;
  }
  return out;
}

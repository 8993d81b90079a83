/**
 * Where a family of fixed points is linearly stable, as a simplified conjunction of sign
 * conditions on the real parts of its transverse eigenvalues (flows) or on their moduli (maps).
 *
 * Each flow condition Re(lambda) < 0 with Re(lambda) a polynomial p is written as q < 0 or
 * q > 0 with q = p / content(p) (primitive, positive leading term), so that p and -p meet as
 * one q with two signs. Constant conditions are decided: true ones are dropped, a false one
 * (such as "0 < 0") makes the whole set unsatisfiable; so does a q required both < 0 and > 0
 * ("a3*s < 0 and -a3*s < 0"). An unsatisfiable set is reported as such, never printed as if it
 * could hold.
 */
import { type Poly, Rational } from "../expr/index.ts";
import type { RuleKind } from "../rules/index.ts";
import type { ClosedFormEigenvalue } from "./charpoly.ts";

export type StabilityConditions =
  | { kind: "always" }
  | { kind: "never"; because: string }
  | { kind: "where"; text: string };

/** The stability conditions of eigenvalues with polynomial real (and imaginary) parts. */
export function stabilityConditions(
  eigenvalues: readonly ClosedFormEigenvalue[],
  kind: RuleKind,
): StabilityConditions | undefined {
  if (!eigenvalues.every((e) => e.re && e.im)) return undefined;
  const signs = new Map<string, { q: Poly; sign: number }>();
  const other: string[] = [];
  for (const e of eigenvalues) {
    const re = e.re!;
    const im = e.im!;
    if (kind === "flow") {
      const c = re.constantValue();
      if (c !== undefined) {
        if (c.sign() >= 0) return { kind: "never", because: `eigenvalue ${e.text} has real part ${c} >= 0` };
        continue;
      }
      const content = re.content();
      const q = re.scale(content.inv());
      const sign = -content.sign(); // re < 0  <=>  q has the opposite sign of the content
      const key = q.toString();
      const prev = signs.get(key);
      if (prev && prev.sign !== sign)
        return { kind: "never", because: `${key} would have to be both < 0 and > 0` };
      signs.set(key, { q, sign });
    } else {
      const text = im.isZero() ? `|${re}| < 1` : `(${re})^2 + (${im})^2 < 1`;
      const c = re.constantValue();
      const d = im.constantValue();
      if (c !== undefined && d !== undefined) {
        const mod2 = c.mul(c).add(d.mul(d));
        if (mod2.compare(Rational.ONE) >= 0)
          return { kind: "never", because: `multiplier ${e.text} has modulus >= 1` };
        continue;
      }
      if (!other.includes(text)) other.push(text);
    }
  }
  const parts = [...[...signs.values()].map(({ q, sign }) => `${q} ${sign < 0 ? "<" : ">"} 0`), ...other];
  return parts.length === 0 ? { kind: "always" } : { kind: "where", text: parts.join(" and ") };
}

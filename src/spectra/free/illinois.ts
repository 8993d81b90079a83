/**
 * The Illinois method (regula falsi with the stale end's value halved) for a root of a continuous
 * f on a bracket [a, b] with f(a), f(b) of opposite signs: stops when |b − a| ≤ tolerance(a) or
 * f vanishes; more than 200 steps is a NumericFailureError naming the caller and the bracket.
 */
import { NumericFailureError } from "../../util/errors.ts";

export function illinoisRoot(
  fn: string,
  f: (x: number) => number,
  bracket: { a: number; fa: number; b: number; fb: number },
  tolerance: (x: number) => number,
): number {
  let { a, fa, b, fb } = bracket;
  let side = 0;
  for (let it = 0; Math.abs(b - a) > tolerance(a); it++) {
    if (it > 200) throw new NumericFailureError(fn, "Illinois iteration exceeded 200 steps", { a, b });
    let m = (a * fb - b * fa) / (fb - fa);
    if (!(m > Math.min(a, b) && m < Math.max(a, b))) m = 0.5 * (a + b);
    const fm = f(m);
    if (fm === 0) return m;
    if (Math.sign(fm) === Math.sign(fa)) {
      a = m;
      fa = fm;
      if (side === 1) fb /= 2;
      side = 1;
    } else {
      b = m;
      fb = fm;
      if (side === -1) fa /= 2;
      side = -1;
    }
  }
  return 0.5 * (a + b);
}

/**
 * Speed of the exact symbolic core: a 4x4 symbolic determinant (the case nerdamer-prime needs
 * about 1 s for), the curl-toy analysis end to end, a quartic-in-G style resultant and the
 * invariant search of the depth-3 URFB chain. Prints JSON: median of repeated runs in ms and
 * memory from process.memoryUsage(). Run: npx tsx bench/expr.ts
 */
import { analyze, findInvariants } from "../src/analysis/index.ts";
import { determinant, discriminant, parsePoly, resultant } from "../src/expr/index.ts";
import { builtinRule } from "../src/rules/index.ts";
import { median } from "../src/util/median.ts";

function time(repeats: number, fn: () => unknown): { medianMs: number; runs: number } {
  fn(); // warm-up
  const ts: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  return { medianMs: Number(median(ts).toFixed(3)), runs: repeats };
}

const sym4 = Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => parsePoly(`a${i}${j}`)));
const quartic = parsePoly("c*G^4 + (alpha - z)*G^3 + (1 - c*z)*G^2 - alpha*G + z");
const results = {
  "det 4x4 symbolic (16 variables, 24 terms)": time(20, () => determinant(sym4)),
  "discriminant of a quartic in G with coefficients in c, alpha, z": time(5, () =>
    discriminant(quartic, "G"),
  ),
  "resultant of two quadratics in x over Q[a,b,c,d]": time(20, () =>
    resultant(parsePoly("a*x^2 + b*x + 1"), parsePoly("c*x^2 + d*x - 1"), "x"),
  ),
  "analyze curl-toy": time(10, () => analyze(builtinRule("curl-toy"))),
  "analyze urfb-chain3": time(5, () => analyze(builtinRule("urfb-chain3"))),
  "invariants urfb-chain3 (degree 2, paramDegree 1)": time(5, () =>
    findInvariants(builtinRule("urfb-chain3")),
  ),
};
const mem = process.memoryUsage();
console.log(
  JSON.stringify(
    {
      bench: "expr",
      node: process.version,
      results,
      ratioVsNerdamerPrime4x4: Number(
        (1000 / results["det 4x4 symbolic (16 variables, 24 terms)"].medianMs).toFixed(1),
      ),
      ratioNote:
        "nerdamer-prime baseline: about 1 s for a 4x4 symbolic determinant (measured on this project, not rerun here)",
      memoryMB: { rss: Math.round(mem.rss / 2 ** 20), heapUsed: Math.round(mem.heapUsed / 2 ** 20) },
    },
    null,
    2,
  ),
);

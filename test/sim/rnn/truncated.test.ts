import { describe, expect, it } from "vitest";
import { bpttGradient } from "../../../src/sim/rnn/bptt.ts";
import { parameterBlock } from "../../../src/sim/rnn/params.ts";
import { cellTypeAverage, truncatedGradient } from "../../../src/sim/rnn/truncated.ts";
import { Rng } from "../../../src/util/random.ts";
import { referenceGradient } from "./rtrl-reference.ts";
import { tiny } from "./tiny.ts";

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
function maxAbs(a: ArrayLike<number>, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
function symmetricFeedback(t: ReturnType<typeof tiny>): Float64Array {
  const { n, nOut } = t.config;
  const out = parameterBlock(t.config, "output");
  const fb = new Float64Array(n * nOut);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < nOut; k++) fb[i * nOut + k] = t.theta[out.offset + k * n + i]!;
  return fb;
}

// The reference takes J and I by central differences of a piecewise-linear map with step 1e-7:
// exact up to rounding eps·|s|/1e-7 ≈ 1e-9 relative, so 1e-7 relative to the largest entry.
const REL = 1e-7;

const variants = [
  { loss: "mse" as const, adaptive: false, alpha: 0 },
  { loss: "mse" as const, adaptive: true, alpha: 0.3 },
  { loss: "cross-entropy" as const, adaptive: true, alpha: 0.3 },
];

describe("dense RTRL reference (eq. 14-15)", () => {
  it("equals the BPTT gradient", () => {
    const t = tiny(21, "mse", { adaptive: true });
    const P = parameterBlock(t.config, "output").offset;
    const ref = referenceGradient(t.config, t.theta, t.batch, "rtrl", symmetricFeedback(t));
    const g = bpttGradient(t.config, t.theta, t.batch).grad;
    expect(maxAbsDiff(ref, g, P)).toBeLessThan(REL * maxAbs(g, P));
  });
});

describe("truncated rules against a direct evaluation of their formulas", () => {
  for (const v of variants) {
    const label = `${v.loss}, adaptive=${v.adaptive}, alpha=${v.alpha}`;
    it(`e-prop = eqs. 16-18 with symmetric feedback (${label})`, () => {
      const t = tiny(22, v.loss, v);
      const P = parameterBlock(t.config, "output").offset;
      const ref = referenceGradient(t.config, t.theta, t.batch, "eq16", symmetricFeedback(t));
      const g = truncatedGradient(t.config, t.theta, t.batch, "eprop").grad;
      expect(maxAbs(ref, P)).toBeGreaterThan(1e-3);
      expect(maxAbsDiff(ref, g, P)).toBeLessThan(REL * maxAbs(ref, P));
    });
    it(`RFLO = eqs. 16-18 with fixed random feedback (${label})`, () => {
      const t = tiny(23, v.loss, v);
      const P = parameterBlock(t.config, "output").offset;
      const B = new Rng(3).normals(t.config.n * t.config.nOut);
      const ref = referenceGradient(t.config, t.theta, t.batch, "eq16", B);
      const g = truncatedGradient(t.config, t.theta, t.batch, "rflo", { feedback: B }).grad;
      expect(maxAbsDiff(ref, g, P)).toBeLessThan(REL * maxAbs(ref, P));
    });
    it(`MDGL = eq. 19, without and with the cell-type approximation (${label})`, () => {
      const t = tiny(24, v.loss, v);
      const P = parameterBlock(t.config, "output").offset;
      const fb = symmetricFeedback(t);
      const ref = referenceGradient(t.config, t.theta, t.batch, "eq19", fb);
      const g = truncatedGradient(t.config, t.theta, t.batch, "mdgl").grad;
      expect(maxAbsDiff(ref, g, P)).toBeLessThan(REL * maxAbs(ref, P));
      const types = Int32Array.from([0, 0, 0, 1, 1]);
      const rec = parameterBlock(t.config, "recurrent");
      const wt = cellTypeAverage(t.theta.subarray(rec.offset, rec.offset + rec.length), t.config.n, types);
      const refC = referenceGradient(t.config, t.theta, t.batch, "eq19", fb, wt);
      const gC = truncatedGradient(t.config, t.theta, t.batch, "mdgl", { cellTypes: types }).grad;
      expect(maxAbsDiff(refC, gC, P)).toBeLessThan(REL * maxAbs(refC, P));
      expect(maxAbsDiff(gC, g, P)).toBeGreaterThan(1e-6 * maxAbs(g, P));
    });
  }

  it("eq. 20 as printed is not the rule that eq. 19 implies (seed slip)", () => {
    const t = tiny(28, "mse", { alpha: 0.3 });
    const P = parameterBlock(t.config, "output").offset;
    const fb = symmetricFeedback(t);
    const eq19 = referenceGradient(t.config, t.theta, t.batch, "eq19", fb);
    const eq20 = referenceGradient(t.config, t.theta, t.batch, "eq20", fb);
    const rel = maxAbsDiff(eq19, eq20, P) / maxAbs(eq19, P);
    // Eq. 20 drops (1-α) f'(u_{i,t-1}) and adds the l = i term: an O(1) relative change, far
    // above the 1e-7 agreement of the implementations with eq. 19.
    expect(rel).toBeGreaterThan(0.05);
  });

  it("the readout gradient of every rule is the exact one", () => {
    const t = tiny(25, "cross-entropy", { adaptive: true });
    const out = parameterBlock(t.config, "output");
    const g = bpttGradient(t.config, t.theta, t.batch).grad.subarray(out.offset);
    const B = new Rng(4).normals(t.config.n * t.config.nOut);
    for (const rule of ["eprop", "rflo", "mdgl"] as const) {
      const gt = truncatedGradient(t.config, t.theta, t.batch, rule, { feedback: B }).grad.subarray(
        out.offset,
      );
      expect(Array.from(gt)).toEqual(Array.from(g));
    }
  });

  it("with no recurrence (W_rec = 0, α = 0, no adaptation) e-prop is exact", () => {
    const t = tiny(26, "mse", { alpha: 0 });
    const rec = parameterBlock(t.config, "recurrent");
    t.theta.fill(0, rec.offset, rec.offset + rec.length);
    const g = bpttGradient(t.config, t.theta, t.batch).grad;
    const e = truncatedGradient(t.config, t.theta, t.batch, "eprop").grad;
    // Same sums in a different order: float64 rounding.
    expect(maxAbsDiff(g, e, g.length)).toBeLessThan(1e-12 * maxAbs(g, g.length));
  });

  it("rejects an unknown rule and RFLO without a feedback matrix", () => {
    const t = tiny(27, "mse");
    expect(() => truncatedGradient(t.config, t.theta, t.batch, "hebb" as "eprop")).toThrow(
      /truncatedGradient: argument "rule" must be one of eprop, rflo, mdgl, received "hebb"/,
    );
    expect(() => truncatedGradient(t.config, t.theta, t.batch, "rflo")).toThrow(/feedback/);
  });
});

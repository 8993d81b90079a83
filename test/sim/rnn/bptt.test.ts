import { describe, expect, it } from "vitest";
import { bptt, bpttGradient, hessianVectorProduct } from "../../../src/sim/rnn/bptt.ts";
import { Rng } from "../../../src/util/random.ts";
import { tiny } from "./tiny.ts";

function lossAt(t: ReturnType<typeof tiny>, theta: Float64Array): number {
  return bpttGradient(t.config, theta, t.batch).loss;
}

function shifted(theta: Float64Array, v: Float64Array, h: number): Float64Array {
  return theta.map((x, i) => x + h * v[i]!);
}

const cases = [
  { loss: "mse" as const, adaptive: false },
  { loss: "mse" as const, adaptive: true },
  { loss: "cross-entropy" as const, adaptive: true },
];

describe("BPTT gradient", () => {
  for (const c of cases) {
    it(`matches central finite differences (${c.loss}, adaptive=${c.adaptive})`, () => {
      const t = tiny(11, c.loss, { adaptive: c.adaptive });
      const { grad } = bpttGradient(t.config, t.theta, t.batch);
      const h = 1e-5;
      let maxErr = 0;
      let maxG = 0;
      for (let p = 0; p < t.theta.length; p++) {
        const e = new Float64Array(t.theta.length);
        e[p] = 1;
        const fd = (lossAt(t, shifted(t.theta, e, h)) - lossAt(t, shifted(t.theta, e, -h))) / (2 * h);
        maxErr = Math.max(maxErr, Math.abs(fd - grad[p]!));
        maxG = Math.max(maxG, Math.abs(grad[p]!));
      }
      expect(maxG).toBeGreaterThan(1e-3);
      // Central differences at h = 1e-5: rounding eps·|L|/h ≈ 2e-9 for |L| ≈ 70, truncation
      // h²·|L'''|/6 ≈ 2e-8 for |L'''| ≲ 1e3 (measured: 9e-9 at h = 1e-5, 9e-7 at h = 1e-4).
      expect(maxErr).toBeLessThan(1e-7);
    });
  }
});

describe("Hessian-vector product (forward-over-reverse)", () => {
  for (const c of cases) {
    it(`matches finite differences of the gradient with O(h²) error (${c.loss}, adaptive=${c.adaptive})`, () => {
      const t = tiny(12, c.loss, { adaptive: c.adaptive });
      const v = new Rng(5).normals(t.theta.length);
      const hv = hessianVectorProduct(t.config, t.theta, t.batch, v);
      const errAt = (h: number) => {
        const gp = bpttGradient(t.config, shifted(t.theta, v, h), t.batch).grad;
        const gm = bpttGradient(t.config, shifted(t.theta, v, -h), t.batch).grad;
        let e = 0;
        for (let p = 0; p < hv.length; p++) e = Math.max(e, Math.abs((gp[p]! - gm[p]!) / (2 * h) - hv[p]!));
        return e;
      };
      const e1 = errAt(4e-3);
      const e2 = errAt(2e-3);
      const e3 = errAt(1e-5);
      // Halving h divides the O(h²) truncation error by 4 (3 to 5 allows the O(h⁴) remainder).
      expect(e1 / e2).toBeGreaterThan(3);
      expect(e1 / e2).toBeLessThan(5);
      // At h = 1e-5: truncation ~ h²·|∇³L| ~ 1e-10, rounding ~ eps·|∇L|/h ~ 1e-11.
      expect(e3).toBeLessThan(1e-8);
    });
  }

  it("returns the gradient of the same pass unchanged", () => {
    const t = tiny(13, "mse");
    const v = new Rng(6).normals(t.theta.length);
    const a = bptt(t.config, t.theta, t.batch, v);
    const b = bpttGradient(t.config, t.theta, t.batch);
    expect(Array.from(a.grad)).toEqual(Array.from(b.grad));
    expect(a.loss).toBe(b.loss);
  });

  it("is symmetric: uᵀ(Hv) = vᵀ(Hu) to float64 rounding", () => {
    const t = tiny(14, "cross-entropy", { adaptive: true });
    const rng = new Rng(7);
    const u = rng.normals(t.theta.length);
    const v = rng.normals(t.theta.length);
    const hu = hessianVectorProduct(t.config, t.theta, t.batch, u);
    const hv = hessianVectorProduct(t.config, t.theta, t.batch, v);
    let a = 0;
    let b = 0;
    let s = 0;
    for (let p = 0; p < u.length; p++) {
      a += u[p]! * hv[p]!;
      b += v[p]! * hu[p]!;
      s += Math.abs(u[p]! * hv[p]!);
    }
    // Different summation orders of ~P products: relative error a few eps·P.
    expect(Math.abs(a - b)).toBeLessThan(1e-12 * s * 100);
  });
});

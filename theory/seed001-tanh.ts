/**
 * Full-batch gradient and curl descent on a tanh student-teacher network (seed 001, section 5):
 * teacher and student y = W2 tanh(W1 x) with M inputs and N hidden units, Gaussian inputs,
 * squared error. Curl descent flips the sign of the update of one readout weight (D2 =
 * diag(-1, 1, ..., 1)). Plain loops on Float64Arrays: the catalog runs this at M = 100, N = 10.
 */
import { Rng } from "../src/util/random.ts";

export interface TanhSetup {
  m: number;
  n: number;
  samples: number;
  epochs: number;
  learningRate: number;
  /** Student weights are scale x N(0, 1/fan-in). */
  initScale: number;
}

/** Training-loss curve (mean squared error / 2 per epoch) for one seed; `flipped` readout weights use -gradient. */
export function tanhLossCurve(setup: TanhSetup, seed: number, flipped: number[]): Float64Array {
  const { m, n, samples: p, epochs, learningRate: lr, initScale } = setup;
  const rng = new Rng(seed);
  const x = rng.normals(p * m);
  const t1 = rng.normals(n * m, 0, 1 / Math.sqrt(m));
  const t2 = rng.normals(n, 0, 1 / Math.sqrt(n));
  const y = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    let out = 0;
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let j = 0; j < m; j++) z += t1[i * m + j]! * x[k * m + j]!;
      out += t2[i]! * Math.tanh(z);
    }
    y[k] = out;
  }
  const w1 = rng.normals(n * m, 0, initScale / Math.sqrt(m));
  const w2 = rng.normals(n, 0, initScale / Math.sqrt(n));
  const d2 = new Float64Array(n).fill(1);
  for (const i of flipped) d2[i] = -1;
  const h = new Float64Array(n);
  const g1 = new Float64Array(n * m);
  const g2 = new Float64Array(n);
  const losses = new Float64Array(epochs);
  for (let ep = 0; ep < epochs; ep++) {
    g1.fill(0);
    g2.fill(0);
    let loss = 0;
    for (let k = 0; k < p; k++) {
      const xo = k * m;
      let out = 0;
      for (let i = 0; i < n; i++) {
        const wo = i * m;
        let z = 0;
        for (let j = 0; j < m; j++) z += w1[wo + j]! * x[xo + j]!;
        const hi = Math.tanh(z);
        h[i] = hi;
        out += w2[i]! * hi;
      }
      const e = out - y[k]!;
      loss += 0.5 * e * e;
      for (let i = 0; i < n; i++) {
        const hi = h[i]!;
        g2[i]! += e * hi;
        const back = e * w2[i]! * (1 - hi * hi);
        const go = i * m;
        for (let j = 0; j < m; j++) g1[go + j]! += back * x[xo + j]!;
      }
    }
    losses[ep] = loss / p;
    for (let i = 0; i < n; i++) {
      w2[i]! -= (lr * d2[i]! * g2[i]!) / p;
      for (let j = 0; j < m; j++) w1[i * m + j]! -= (lr * g1[i * m + j]!) / p;
    }
  }
  return losses;
}

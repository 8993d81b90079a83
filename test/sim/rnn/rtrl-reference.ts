/**
 * A direct, dense evaluation of seed 000, eqs. 14-19 (not a test file itself): the state
 * Jacobians J_t = ∂s_{t+1}/∂s_t and immediate influences I_t = ∂s_{t+1}/∂θ are taken by central
 * finite differences of the one-step map (exact up to rounding: the map is piecewise linear in s
 * and linear in θ), then the influence tensors are propagated in full (RTRL, eq. 15), truncated to
 * the postsynaptic unit (eq. 16), truncated with the one-step term restored (eq. 19), or eq. 20
 * taken literally as printed (eq. 16 plus ε^h_{ij,t-1} Σ_l W_li ∂L/∂h_{l,t}).
 * State order: s = (h_0..h_{N-1}, b_0..b_{N-1}); parameter order: input then recurrent block.
 */
import type { Batch } from "../../../src/sim/rnn/batch.ts";
import { forward, type RnnConfig } from "../../../src/sim/rnn/network.ts";
import { unflattenParams } from "../../../src/sim/rnn/params.ts";

export type ReferenceMode = "rtrl" | "eq16" | "eq19" | "eq20";

function step(
  config: RnnConfig,
  wIn: Float64Array,
  wRec: Float64Array,
  s: Float64Array,
  x: Float64Array,
  xo: number,
) {
  const { n, nIn, alpha, beta, adaptive } = config;
  const out = new Float64Array(2 * n);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = Math.max(0, s[i]! - s[n + i]!);
  for (let i = 0; i < n; i++) {
    let d = 0;
    for (let j = 0; j < n; j++) d += wRec[i * n + j]! * r[j]!;
    for (let j = 0; j < nIn; j++) d += wIn[i * nIn + j]! * x[xo + j]!;
    out[i] = alpha * s[i]! + (1 - alpha) * d;
    out[n + i] = adaptive[i] ? beta * s[n + i]! + (1 - beta) * r[i]! : 0;
  }
  return out;
}

/** Returns the input+recurrent part of the gradient estimate of the chosen mode. */
export function referenceGradient(
  config: RnnConfig,
  theta: Float64Array,
  batch: Batch,
  mode: ReferenceMode,
  feedback: Float64Array,
  wOneStep?: Float64Array,
): Float64Array {
  const { n, nIn, nOut } = config;
  const params = unflattenParams(config, theta);
  const S = 2 * n;
  const P = n * nIn + n * n;
  const owner = (p: number) => (p < n * nIn ? Math.floor(p / nIn) : Math.floor((p - n * nIn) / n));
  const unit = (row: number) => row % n;
  const grad = new Float64Array(P);
  const eps = 1e-7;
  const scale = 1 / (batch.examples.length * batch.lossSteps.length);
  for (const ex of batch.examples) {
    const tr = forward(config, params, ex);
    const T = tr.steps;
    let M = new Float64Array(S * P);
    let Mprev = new Float64Array(S * P);
    let Jprev = new Float64Array(S * S);
    for (let t = 0; t < T; t++) {
      const s = new Float64Array(S);
      for (let i = 0; i < n; i++) {
        s[i] = tr.h[t * n + i]!;
        s[n + i] = tr.b[t * n + i]!;
      }
      const J = new Float64Array(S * S);
      const Jw = new Float64Array(S * S);
      for (let c = 0; c < S; c++) {
        const sp = s.slice();
        const sm = s.slice();
        sp[c] = sp[c]! + eps;
        sm[c] = sm[c]! - eps;
        const fp = step(config, params.wIn, params.wRec, sp, ex.x, t * nIn);
        const fm = step(config, params.wIn, params.wRec, sm, ex.x, t * nIn);
        for (let rrow = 0; rrow < S; rrow++) J[rrow * S + c] = (fp[rrow]! - fm[rrow]!) / (2 * eps);
        const w = wOneStep ?? params.wRec;
        const gp = step(config, params.wIn, w, sp, ex.x, t * nIn);
        const gm = step(config, params.wIn, w, sm, ex.x, t * nIn);
        for (let rrow = 0; rrow < S; rrow++) Jw[rrow * S + c] = (gp[rrow]! - gm[rrow]!) / (2 * eps);
      }
      const I = new Float64Array(S * P);
      for (let p = 0; p < P; p++) {
        const wi = params.wIn.slice();
        const wr = params.wRec.slice();
        const wim = params.wIn.slice();
        const wrm = params.wRec.slice();
        if (p < n * nIn) {
          wi[p] = wi[p]! + eps;
          wim[p] = wim[p]! - eps;
        } else {
          wr[p - n * nIn] = wr[p - n * nIn]! + eps;
          wrm[p - n * nIn] = wrm[p - n * nIn]! - eps;
        }
        const fp = step(config, wi, wr, s, ex.x, t * nIn);
        const fm = step(config, wim, wrm, s, ex.x, t * nIn);
        for (let rrow = 0; rrow < S; rrow++) I[rrow * P + p] = (fp[rrow]! - fm[rrow]!) / (2 * eps);
      }
      const Mn = new Float64Array(S * P);
      for (let rrow = 0; rrow < S; rrow++) {
        for (let p = 0; p < P; p++) {
          let v = I[rrow * P + p]!;
          for (let c = 0; c < S; c++) {
            // Eq. 16: only the postsynaptic unit's own state carries influence on its synapses.
            if (mode !== "rtrl" && (unit(rrow) !== owner(p) || unit(c) !== owner(p))) continue;
            v += J[rrow * S + c]! * M[c * P + p]!;
          }
          Mn[rrow * P + p] = v;
        }
      }
      Mprev = M;
      M = Mn;
      Jprev = Jw;
      // Direct loss derivative at step t+1 with the given feedback (learning signal).
      const tt = t + 1;
      if (!batch.lossSteps.includes(tt)) continue;
      const yo = (tt - 1) * nOut;
      const gy = new Float64Array(nOut);
      if (batch.loss === "mse")
        for (let k = 0; k < nOut; k++) gy[k] = scale * (tr.y[yo + k]! - ex.y[yo + k]!);
      else {
        const m = Math.max(...Array.from(tr.y.subarray(yo, yo + nOut)));
        let z = 0;
        for (let k = 0; k < nOut; k++) z += Math.exp(tr.y[yo + k]! - m);
        for (let k = 0; k < nOut; k++) gy[k] = scale * (Math.exp(tr.y[yo + k]! - m) / z - ex.y[yo + k]!);
      }
      const dLds = new Float64Array(S);
      for (let l = 0; l < n; l++) {
        let v = 0;
        for (let k = 0; k < nOut; k++) v += feedback[l * nOut + k]! * gy[k]!;
        const on = tr.u[tt * n + l]! > 0 ? 1 : 0;
        dLds[l] = on * v;
        dLds[n + l] = -on * v;
      }
      for (let rrow = 0; rrow < S; rrow++) {
        for (let p = 0; p < P; p++) {
          let infl = M[rrow * P + p]!;
          if (mode === "eq19" && unit(rrow) !== owner(p)) {
            // Eq. 19: ds_{l,t}/dW_ij ≈ ∂s_{l,t}/∂s_{i,t-1} · ε_{ij,t-1} for l ≠ i.
            infl = 0;
            const i = owner(p);
            for (const c of [i, n + i]) infl += Jprev[rrow * S + c]! * Mprev[c * P + p]!;
          }
          if (mode === "eq20" && rrow < n) {
            // Eq. 20 as printed: + ε^h_{ij,t-1} Σ_l W_li ∂L/∂h_{l,t} (all l, no (1-α) f'(u_{i,t-1})).
            const i = owner(p);
            grad[p] = grad[p]! + dLds[rrow]! * params.wRec[rrow * n + i]! * Mprev[i * P + p]!;
          }
          grad[p] = grad[p]! + dLds[rrow]! * infl;
        }
      }
    }
  }
  return grad;
}

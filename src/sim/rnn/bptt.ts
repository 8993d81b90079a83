/**
 * Exact gradients by backpropagation through time, and exact Hessian-vector products by
 * forward-over-reverse differentiation of the same BPTT code (Pearlmutter's R-operator).
 *
 * Reverse pass (adjoints g_z = ∂L/∂z), for t = T..0, with f'(u) = 1[u > 0]:
 *   g_r_t = W_outᵀ g_y_t + (1-α) W_recᵀ g_h_{t+1} + (1-β) a ⊙ g_b_{t+1}
 *   g_u_t = f'(u_t) ⊙ g_r_t,  g_h_t = α g_h_{t+1} + g_u_t,  g_b_t = a ⊙ (β g_b_{t+1} - g_u_t)
 *   ∂L/∂W_rec += (1-α) g_h_{t+1} r_tᵀ,  ∂L/∂W_in += (1-α) g_h_{t+1} x_tᵀ,  ∂L/∂W_out += g_y_t r_tᵀ
 * The Hessian-vector product H v is the directional derivative of every line above along
 * θ + εv: a tangent forward pass (dh, db, dr, dy) and a tangent reverse pass (dg_·). ReLU has
 * f'' = 0 away from its kink, so the tangent of f'(u_t) vanishes; the result is exact to float64
 * rounding wherever no unit sits exactly at u = 0 (a set of measure zero).
 */

import { InvalidArgumentError } from "../../util/errors.ts";
import { type Batch, checkBatch, lossScale } from "./batch.ts";
import { stepLoss, stepLossGradient, stepLossHessianVector } from "./loss.ts";
import { forward, type RnnConfig } from "./network.ts";
import { parameterCount, unflattenParams } from "./params.ts";

export interface BpttResult {
  /** L(θ) of eq. 13. */
  loss: number;
  /** ∂L/∂θ, flat in the order of params.ts. */
  grad: Float64Array;
  /** H v when a direction v was given. */
  hv?: Float64Array;
}

/** Loss and exact gradient ∂L/∂θ (seed 000, eq. 14 computed by BPTT). */
export function bpttGradient(config: RnnConfig, theta: Float64Array, batch: Batch): BpttResult {
  return bptt(config, theta, batch, undefined);
}

/** Exact Hessian-vector product H v = ∂/∂ε ∇L(θ + εv) at ε = 0 (forward-over-reverse). */
export function hessianVectorProduct(
  config: RnnConfig,
  theta: Float64Array,
  batch: Batch,
  v: Float64Array,
): Float64Array {
  if (v.length !== theta.length) {
    throw new InvalidArgumentError("hessianVectorProduct", "v", `${theta.length} values`, {
      length: v.length,
    });
  }
  return bptt(config, theta, batch, v).hv!;
}

/** One pass giving the loss, the gradient and, if `v` is given, H v. */
export function bptt(
  config: RnnConfig,
  theta: Float64Array,
  batch: Batch,
  v: Float64Array | undefined,
): BpttResult {
  const T = checkBatch(config, batch, "bptt");
  const { n, nIn, nOut, alpha, beta, adaptive } = config;
  const P = parameterCount(config);
  const { wIn, wRec, wOut } = unflattenParams(config, theta);
  const grad = new Float64Array(P);
  const g = unflattenParams(config, grad);
  const hv = v ? new Float64Array(P) : undefined;
  const d = v ? unflattenParams(config, v) : undefined;
  const hd = hv ? unflattenParams(config, hv) : undefined;
  const scale = lossScale(batch);
  const supervised = new Uint8Array(T + 1);
  for (const t of batch.lossSteps) supervised[t] = 1;
  const a1 = 1 - alpha;
  const b1 = 1 - beta;

  let loss = 0;
  const gy = new Float64Array(nOut);
  const dgy = new Float64Array(nOut);
  const dyt = new Float64Array(nOut);
  const gr = new Float64Array(n);
  const dgr = new Float64Array(n);
  let ghN = new Float64Array(n);
  let gbN = new Float64Array(n);
  let dghN = new Float64Array(n);
  let dgbN = new Float64Array(n);
  let ghC = new Float64Array(n);
  let gbC = new Float64Array(n);
  let dghC = new Float64Array(n);
  let dgbC = new Float64Array(n);

  for (const ex of batch.examples) {
    const tr = forward(config, { wIn, wRec, wOut }, ex);
    const { u, r } = tr;
    const x = ex.x;
    // Tangent forward pass: dh_t, db_t, dr_t, dy_t along v.
    let dr: Float64Array | undefined;
    let dy: Float64Array | undefined;
    if (d) {
      const dh = new Float64Array((T + 1) * n);
      const db = new Float64Array((T + 1) * n);
      dr = new Float64Array((T + 1) * n);
      dy = new Float64Array(T * nOut);
      for (let t = 0; t <= T; t++) {
        const o = t * n;
        for (let i = 0; i < n; i++) dr[o + i] = u[o + i]! > 0 ? dh[o + i]! - db[o + i]! : 0;
        if (t > 0) {
          for (let k = 0; k < nOut; k++) {
            let s = 0;
            for (let i = 0; i < n; i++) s += d.wOut[k * n + i]! * r[o + i]! + wOut[k * n + i]! * dr[o + i]!;
            dy[(t - 1) * nOut + k] = s;
          }
        }
        if (t === T) break;
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += d.wRec[i * n + j]! * r[o + j]! + wRec[i * n + j]! * dr[o + j]!;
          for (let j = 0; j < nIn; j++) s += d.wIn[i * nIn + j]! * x[t * nIn + j]!;
          dh[o + n + i] = alpha * dh[o + i]! + a1 * s;
          db[o + n + i] = adaptive[i] ? beta * db[o + i]! + b1 * dr[o + i]! : 0;
        }
      }
    }
    ghN.fill(0);
    gbN.fill(0);
    dghN.fill(0);
    dgbN.fill(0);
    for (let t = T; t >= 0; t--) {
      const o = t * n;
      gr.fill(0);
      dgr.fill(0);
      if (t >= 1 && supervised[t]) {
        const yo = (t - 1) * nOut;
        loss += scale * stepLoss(batch.loss, tr.y, yo, ex.y, yo, nOut);
        stepLossGradient(batch.loss, tr.y, yo, ex.y, yo, nOut, scale, gy);
        for (let k = 0; k < nOut; k++) {
          const gk = gy[k]!;
          for (let i = 0; i < n; i++) {
            gr[i] = gr[i]! + wOut[k * n + i]! * gk;
            g.wOut[k * n + i] = g.wOut[k * n + i]! + gk * r[o + i]!;
          }
        }
        if (d && hd && dy && dr) {
          for (let k = 0; k < nOut; k++) dyt[k] = dy[yo + k]!;
          stepLossHessianVector(batch.loss, tr.y, yo, ex.y, yo, nOut, dyt, scale, dgy);
          for (let k = 0; k < nOut; k++) {
            const gk = gy[k]!;
            const dgk = dgy[k]!;
            for (let i = 0; i < n; i++) {
              dgr[i] = dgr[i]! + d.wOut[k * n + i]! * gk + wOut[k * n + i]! * dgk;
              hd.wOut[k * n + i] = hd.wOut[k * n + i]! + dgk * r[o + i]! + gk * dr[o + i]!;
            }
          }
        }
      }
      if (t < T) {
        for (let l = 0; l < n; l++) {
          const gl = a1 * ghN[l]!;
          if (gl !== 0) {
            for (let j = 0; j < n; j++) {
              gr[j] = gr[j]! + wRec[l * n + j]! * gl;
              g.wRec[l * n + j] = g.wRec[l * n + j]! + gl * r[o + j]!;
            }
            for (let j = 0; j < nIn; j++) g.wIn[l * nIn + j] = g.wIn[l * nIn + j]! + gl * x[t * nIn + j]!;
          }
        }
        for (let i = 0; i < n; i++) if (adaptive[i]) gr[i] = gr[i]! + b1 * gbN[i]!;
        if (d && hd && dr) {
          for (let l = 0; l < n; l++) {
            const gl = a1 * ghN[l]!;
            const dgl = a1 * dghN[l]!;
            for (let j = 0; j < n; j++) {
              dgr[j] = dgr[j]! + d.wRec[l * n + j]! * gl + wRec[l * n + j]! * dgl;
              hd.wRec[l * n + j] = hd.wRec[l * n + j]! + dgl * r[o + j]! + gl * dr[o + j]!;
            }
            for (let j = 0; j < nIn; j++) hd.wIn[l * nIn + j] = hd.wIn[l * nIn + j]! + dgl * x[t * nIn + j]!;
          }
          for (let i = 0; i < n; i++) if (adaptive[i]) dgr[i] = dgr[i]! + b1 * dgbN[i]!;
        }
      }
      for (let i = 0; i < n; i++) {
        const on = u[o + i]! > 0;
        const gu = on ? gr[i]! : 0;
        ghC[i] = alpha * ghN[i]! + gu;
        gbC[i] = adaptive[i] ? beta * gbN[i]! - gu : 0;
        if (d) {
          const dgu = on ? dgr[i]! : 0;
          dghC[i] = alpha * dghN[i]! + dgu;
          dgbC[i] = adaptive[i] ? beta * dgbN[i]! - dgu : 0;
        }
      }
      [ghN, ghC] = [ghC, ghN];
      [gbN, gbC] = [gbC, gbN];
      [dghN, dghC] = [dghC, dghN];
      [dgbN, dgbC] = [dgbC, dgbN];
    }
  }
  return hv ? { loss, grad, hv } : { loss, grad };
}

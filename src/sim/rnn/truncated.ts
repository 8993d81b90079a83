/**
 * The truncated ("biologically plausible") gradients of seed 000, eqs. 14-20, for the input
 * and recurrent weights; the readout weights get their exact gradient (seed 000, A.2: "the
 * approximations did not apply to output weights").
 *
 * RTRL writes the gradient as ∂L/∂W_ij = Σ_{l,t} ∂L/∂s_{l,t} · ds_{l,t}/dW_ij (eq. 14), with the
 * direct loss derivative ∂L/∂s and the influence ds/dW, where s_l = (h_l, b_l) is the local state
 * of unit l. The truncation of eq. 16 keeps only the postsynaptic unit's own influence, which
 * obeys the local recursion of eq. 18 (the eligibility trace ε_ij = (ε^h_ij, ε^b_ij)):
 *
 *   ε_{ij,t+1} = D_{i,t} ε_{ij,t} + ((1-α) p_{j,t}, 0),
 *   D_{i,t} = ∂s_{i,t+1}/∂s_{i,t} = [[α + (1-α)W_ii f', -(1-α)W_ii f'], [a_i(1-β)f', a_i(β - (1-β)f')]]
 *
 * with f' = f'(u_{i,t}) and presynaptic signal p = r (recurrent weights) or p = x (input weights).
 * D is the full diagonal block of the state Jacobian (the self-connection W_ii included), as in
 * eqs. 15-16. The learning signal L_{i,t} = f'(u_{i,t}) Σ_k B_ik ∂L/∂y_{k,t} is ∂L/∂h_{i,t}
 * when the feedback B is W_outᵀ (symmetric e-prop) and an approximation of it when B is a fixed
 * random matrix (RFLO); ∂L/∂b_{i,t} = -a_i L_{i,t}. Then (eq. 17)
 *
 *   ĝ_ij = Σ_t L_{i,t} (ε^h_{ij,t} - ε^b_{ij,t}).
 *
 * MDGL (eq. 19) also keeps the influence one connection away: for l ≠ i,
 * ds_{l,t}/dW_ij ≈ ∂s_{l,t}/∂s_{i,t-1} ε_{ij,t-1}, i.e. ∂h_{l,t}/∂h_{i,t-1} = (1-α) W̃_li f'(u_{i,t-1})
 * (and minus that for b_i), which adds
 *
 *   Σ_t (1-α) f'(u_{i,t-1}) (ε^h_{ij,t-1} - ε^b_{ij,t-1}) Σ_{l≠i} W̃_li L_{l,t},
 *
 * with W̃ = W_rec, or with the cell-type approximation W̃_li = mean of W_rec over the block
 * (type(l), type(i)). Eq. 20 of the seed prints this term without the factor (1-α) f'(u_{i,t-1})
 * and with l = i included; the term above is the one that eq. 19 implies (see the tests).
 */
import { InvalidArgumentError, requireOneOf } from "../../util/errors.ts";
import { type Batch, checkBatch, lossScale } from "./batch.ts";
import { stepLoss, stepLossGradient } from "./loss.ts";
import { forward, type RnnConfig } from "./network.ts";
import { parameterCount, unflattenParams } from "./params.ts";

export type TruncatedRule = "eprop" | "rflo" | "mdgl";
export const truncatedRules: readonly TruncatedRule[] = ["eprop", "rflo", "mdgl"];

export interface TruncatedOptions {
  /** Fixed random feedback B (N x N_out, row-major); required by RFLO, ignored otherwise. */
  feedback?: Float64Array;
  /** MDGL cell-type approximation: the type (0..C-1) of every unit; omitted = no approximation. */
  cellTypes?: Int32Array;
}

export interface TruncatedResult {
  loss: number;
  /** Approximate gradient, flat in the order of params.ts. */
  grad: Float64Array;
}

/** The approximate gradient ĝ of `rule` at θ on `batch` (seed 000, eqs. 16-20). */
export function truncatedGradient(
  config: RnnConfig,
  theta: Float64Array,
  batch: Batch,
  rule: TruncatedRule,
  options: TruncatedOptions = {},
): TruncatedResult {
  const fn = "truncatedGradient";
  requireOneOf(fn, "rule", rule, truncatedRules);
  const T = checkBatch(config, batch, fn);
  const { n, nIn, nOut, alpha, beta, adaptive } = config;
  const params = unflattenParams(config, theta);
  const { wRec, wOut } = params;
  let fb: Float64Array;
  if (rule === "rflo") {
    if (!options.feedback || options.feedback.length !== n * nOut) {
      throw new InvalidArgumentError(
        fn,
        "options.feedback",
        `a N x N_out = ${n * nOut} feedback matrix for RFLO`,
        {
          length: options.feedback?.length ?? 0,
        },
      );
    }
    fb = options.feedback;
  } else {
    fb = new Float64Array(n * nOut);
    for (let i = 0; i < n; i++) for (let k = 0; k < nOut; k++) fb[i * nOut + k] = wOut[k * n + i]!;
  }
  const mdgl = rule === "mdgl";
  const wTilde = mdgl && options.cellTypes ? cellTypeAverage(wRec, n, options.cellTypes) : wRec;

  const grad = new Float64Array(parameterCount(config));
  const g = unflattenParams(config, grad);
  const scale = lossScale(batch);
  const supervised = new Uint8Array(T + 1);
  for (const t of batch.lossSteps) supervised[t] = 1;
  const a1 = 1 - alpha;
  const b1 = 1 - beta;
  const gy = new Float64Array(nOut);
  let loss = 0;

  const ehR = new Float64Array(n * n);
  const ebR = new Float64Array(n * n);
  const ehX = new Float64Array(n * nIn);
  const ebX = new Float64Array(n * nIn);
  const L = new Float64Array((T + 1) * n);
  const c = new Float64Array(n);

  for (const ex of batch.examples) {
    const tr = forward(config, params, ex);
    const { u, r } = tr;
    const x = ex.x;
    L.fill(0);
    for (let t = 1; t <= T; t++) {
      if (!supervised[t]) continue;
      const yo = (t - 1) * nOut;
      const o = t * n;
      loss += scale * stepLoss(batch.loss, tr.y, yo, ex.y, yo, nOut);
      stepLossGradient(batch.loss, tr.y, yo, ex.y, yo, nOut, scale, gy);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < nOut; k++) {
          s += fb[i * nOut + k]! * gy[k]!;
          g.wOut[k * n + i] = g.wOut[k * n + i]! + gy[k]! * r[o + i]!;
        }
        L[o + i] = u[o + i]! > 0 ? s : 0;
      }
    }
    ehR.fill(0);
    ebR.fill(0);
    ehX.fill(0);
    ebX.fill(0);
    for (let t = 0; t < T; t++) {
      const o = t * n;
      const on = o + n;
      if (mdgl) {
        // One-step non-local term, using the traces ε_{·,t} before they advance.
        for (let i = 0; i < n; i++) {
          if (!(u[o + i]! > 0)) {
            c[i] = 0;
            continue;
          }
          let s = 0;
          for (let l = 0; l < n; l++) if (l !== i) s += wTilde[l * n + i]! * L[on + l]!;
          c[i] = a1 * s;
        }
        accumulateMdgl(c, ehR, ebR, g.wRec, n, n);
        accumulateMdgl(c, ehX, ebX, g.wIn, n, nIn);
      }
      for (let i = 0; i < n; i++) {
        const fp = u[o + i]! > 0 ? 1 : 0;
        const wii = wRec[i * n + i]!;
        const dhh = alpha + a1 * wii * fp;
        const dhb = -a1 * wii * fp;
        const dbh = adaptive[i] ? b1 * fp : 0;
        const dbb = adaptive[i] ? beta - b1 * fp : 0;
        const li = L[on + i]!;
        advance(ehR, ebR, i, n, r, o, dhh, dhb, dbh, dbb, a1, li, g.wRec);
        advance(ehX, ebX, i, nIn, x, t * nIn, dhh, dhb, dbh, dbb, a1, li, g.wIn);
      }
    }
  }
  return { loss, grad };
}

/** ε_{i·} ← D_i ε_{i·} + ((1-α) p, 0); then ĝ_{i·} += L_i (ε^h_{i·} - ε^b_{i·}). */
function advance(
  eh: Float64Array,
  eb: Float64Array,
  i: number,
  m: number,
  p: Float64Array,
  po: number,
  dhh: number,
  dhb: number,
  dbh: number,
  dbb: number,
  a1: number,
  li: number,
  grad: Float64Array,
): void {
  const row = i * m;
  for (let j = 0; j < m; j++) {
    const h = eh[row + j]!;
    const b = eb[row + j]!;
    const nh = dhh * h + dhb * b + a1 * p[po + j]!;
    const nb = dbh * h + dbb * b;
    eh[row + j] = nh;
    eb[row + j] = nb;
    if (li !== 0) grad[row + j] = grad[row + j]! + li * (nh - nb);
  }
}

function accumulateMdgl(
  c: Float64Array,
  eh: Float64Array,
  eb: Float64Array,
  grad: Float64Array,
  n: number,
  m: number,
) {
  for (let i = 0; i < n; i++) {
    const ci = c[i]!;
    if (ci === 0) continue;
    const row = i * m;
    for (let j = 0; j < m; j++) grad[row + j] = grad[row + j]! + ci * (eh[row + j]! - eb[row + j]!);
  }
}

/** W̃_li = mean of W over all (l', i') with type(l') = type(l), type(i') = type(i). */
export function cellTypeAverage(w: Float64Array, n: number, types: Int32Array): Float64Array {
  if (types.length !== n || types.some((t) => !Number.isInteger(t) || t < 0)) {
    throw new InvalidArgumentError("cellTypeAverage", "types", `${n} non-negative integer cell types`, {
      length: types.length,
    });
  }
  const C = Math.max(...types) + 1;
  const sum = new Float64Array(C * C);
  const count = new Float64Array(C * C);
  for (let l = 0; l < n; l++) {
    for (let i = 0; i < n; i++) {
      const k = types[l]! * C + types[i]!;
      sum[k] = sum[k]! + w[l * n + i]!;
      count[k] = count[k]! + 1;
    }
  }
  const out = new Float64Array(n * n);
  for (let l = 0; l < n; l++) {
    for (let i = 0; i < n; i++) {
      const k = types[l]! * C + types[i]!;
      out[l * n + i] = sum[k]! / count[k]!;
    }
  }
  return out;
}

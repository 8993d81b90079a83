/**
 * The fused student-teacher kernel: one workgroup per simulation advances it by whole epochs of
 * minibatch SGD (curl descent, gradient descent or feedback alignment) with the per-layer
 * renormalization, entirely on the device. It implements, step for step, the update specified
 * in src/backend/backend.ts (StudentTeacherBatch; seed 001 eq. 5 and section 5):
 *
 *   perm = counterPermutation(deriveKey(seed, t), nTrain)                   (once per epoch)
 *   for mu in S:  a_mu = W1 x_mu,  h_mu = phi(a_mu),  e_mu = W2 h_mu - y_mu
 *   W1 <- W1 - eta * ((1/|S|) sum_mu (f (.) phi'(a_mu) e_mu) x_mu^T) D1     (f = old W2^T or B)
 *   W2 <- W2 - eta * ((1/|S|) sum_mu e_mu h_mu^T) D2
 *   n1 = ||W1||_F, n2 = ||W2||_F; non-finite (or 0 when renormalizing) -> frozen at epoch t
 *   W1 <- (norm1 / n1) W1,  W2 <- (norm2 / n2) W2                             (if renormalizing)
 *
 * Device layout (float32, per member m; all sizes baked into the source as constants):
 * - train_x [B, P, M] row-major, train_y [B, P];
 * - w1 [B, M, N]: W1 stored TRANSPOSED, element (i, j) of W1 at j*N + i, so that consecutive
 *   invocations (consecutive hidden units i) touch consecutive addresses in both the forward
 *   product and the update;
 * - w2 [B, N];
 * - consts [B, CS], CS = M + 2N + 2: d1 (M), d2 (N), fixed feedback B (N), norm1, norm2;
 * - status [B, 2] u32: shuffle seed, and 1 + the epoch of failure (0 while running);
 * - perm [B, P] u32: the current epoch's permutation, drawn by invocation 0;
 * - scratch [B, 2*S*N + S] (only when the minibatch does not fit in workgroup memory): h, phi'
 *   (then u = e phi'), e. Otherwise these and the minibatch inputs live in workgroup memory.
 *
 * Params (uniform): epoch0 and epochs of this dispatch, eta = learningRate * batchSize / nTrain,
 * and 1/|S|. Sums run in increasing index order within an invocation; the norms are reduced by
 * a tree over the workgroup, so float32 results differ from the CPU's float64 only by rounding.
 */
import type { Activation, FeedbackKind } from "../../backend.ts";
import { activationWgsl } from "./activation.wgsl.ts";
import { counterRngWgsl } from "./counter-rng.wgsl.ts";

export interface StudentTeacherKernelShape {
  /** M. */
  inputs: number;
  /** N. */
  hidden: number;
  /** P = nTrain. */
  trainCount: number;
  /** |S|, dividing P. */
  batchSize: number;
  activation: Activation;
  feedback: FeedbackKind;
  renormalize: boolean;
  /** Invocations per workgroup, a power of two. */
  workgroupSize: number;
  /** Where the per-minibatch intermediates live. */
  scratch: "workgroup" | "storage";
}

/** Bytes of workgroup memory the kernel needs with scratch = "workgroup". */
export function workgroupScratchBytes(k: StudentTeacherKernelShape): number {
  const S = k.batchSize;
  return 4 * (S * k.inputs + 2 * S * k.hidden + S + 2 * k.workgroupSize + 1);
}

/** Floats of device scratch per member with scratch = "storage". */
export function storageScratchFloats(k: StudentTeacherKernelShape): number {
  return 2 * k.batchSize * k.hidden + k.batchSize;
}

/** Bytes of the uniform parameter block (epoch0, epochs, eta, 1/|S|). */
export const stepParamsBytes = 16;

/** The WGSL source of the fused kernel for one shape. */
export function studentTeacherStepWgsl(k: StudentTeacherKernelShape): string {
  const { inputs: M, hidden: N, trainCount: P, batchSize: S, workgroupSize: WG } = k;
  const inWorkgroup = k.scratch === "workgroup";
  const scratchDecl = inWorkgroup
    ? `
var<workgroup> xs: array<f32, ${S * M}>;
var<workgroup> hs: array<f32, ${S * N}>;
var<workgroup> us: array<f32, ${S * N}>;
var<workgroup> es: array<f32, ${S}>;
fn x_at(s: u32, j: u32) -> f32 { return xs[s * M + j]; }
fn h_at(s: u32, i: u32) -> f32 { return hs[s * N + i]; }
fn set_h(s: u32, i: u32, v: f32) { hs[s * N + i] = v; }
fn u_at(s: u32, i: u32) -> f32 { return us[s * N + i]; }
fn set_u(s: u32, i: u32, v: f32) { us[s * N + i] = v; }
fn e_at(s: u32) -> f32 { return es[s]; }
fn set_e(s: u32, v: f32) { es[s] = v; }
`
    : `
@group(0) @binding(8) var<storage, read_write> scratch: array<f32>;
const SCR = ${storageScratchFloats(k)}u;
fn x_at(s: u32, j: u32) -> f32 { return train_x[(member * P + perm[pbase + s]) * M + j]; }
fn h_at(s: u32, i: u32) -> f32 { return scratch[member * SCR + s * N + i]; }
fn set_h(s: u32, i: u32, v: f32) { scratch[member * SCR + s * N + i] = v; }
fn u_at(s: u32, i: u32) -> f32 { return scratch[member * SCR + S * N + s * N + i]; }
fn set_u(s: u32, i: u32, v: f32) { scratch[member * SCR + S * N + s * N + i] = v; }
fn e_at(s: u32) -> f32 { return scratch[member * SCR + 2u * S * N + s]; }
fn set_e(s: u32, v: f32) { scratch[member * SCR + 2u * S * N + s] = v; }
`;
  const loadMinibatch = inWorkgroup
    ? `
      for (var idx = lid; idx < S * M; idx += WG) {
        let s = idx / M;
        xs[idx] = train_x[(member * P + perm[pbase + s]) * M + (idx - s * M)];
      }
      workgroupBarrier();`
    : "";
  const feedback = k.feedback === "readout" ? "w2[w2base + i]" : "consts[cbase + M + N + i]";
  const renormalizing = k.renormalize ? "true" : "false";
  return /* wgsl */ `
${counterRngWgsl}
${activationWgsl(k.activation)}

struct Params { epoch0: u32, epochs: u32, eta: f32, inv_batch: f32 }

const M = ${M}u;
const N = ${N}u;
const P = ${P}u;
const S = ${S}u;
const STEPS = ${P / S}u;
const WG = ${WG}u;
const CS = M + 2u * N + 2u;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> train_x: array<f32>;
@group(0) @binding(2) var<storage, read> train_y: array<f32>;
@group(0) @binding(3) var<storage, read_write> w1: array<f32>;
@group(0) @binding(4) var<storage, read_write> w2: array<f32>;
@group(0) @binding(5) var<storage, read> consts: array<f32>;
@group(0) @binding(6) var<storage, read_write> status: array<u32>;
@group(0) @binding(7) var<storage, read_write> perm: array<u32>;

var<workgroup> red1: array<f32, WG>;
var<workgroup> red2: array<f32, WG>;
var<workgroup> dead: u32;
var<private> member: u32;
var<private> pbase: u32;
${scratchDecl}

// NaN and inf by their bits: compilers may assume finite floats and fold x != x away.
fn is_finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }

fn sync() {
  storageBarrier();
  workgroupBarrier();
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  member = wid.x;
  let cbase = member * CS;
  let w1base = member * N * M;
  let w2base = member * N;
  if (lid == 0u) { dead = status[member * 2u + 1u]; }
  if (workgroupUniformLoad(&dead) != 0u) { return; }
  for (var t = params.epoch0; t < params.epoch0 + params.epochs; t++) {
    if (lid == 0u) {
      // Fisher-Yates exactly as counterPermutation in src/util/counter-rng.ts.
      let key = derive_key(status[member * 2u], t);
      let base = member * P;
      for (var i = 0u; i < P; i++) { perm[base + i] = i; }
      for (var i = P - 1u; i > 0u; i--) {
        let j = counter_u32(key, i) % (i + 1u);
        let tmp = perm[base + i];
        perm[base + i] = perm[base + j];
        perm[base + j] = tmp;
      }
    }
    sync();
    for (var step = 0u; step < STEPS; step++) {
      pbase = member * P + step * S;
${loadMinibatch}
      // Forward pass on the minibatch: h = phi(W1 x), phi'(W1 x).
      for (var idx = lid; idx < S * N; idx += WG) {
        let s = idx / N;
        let i = idx - s * N;
        var a = 0.0;
        for (var j = 0u; j < M; j++) { a += w1[w1base + j * N + i] * x_at(s, j); }
        set_h(s, i, phi(a));
        set_u(s, i, phi_prime(a));
      }
      sync();
      for (var s = lid; s < S; s += WG) {
        var y = 0.0;
        for (var i = 0u; i < N; i++) { y += w2[w2base + i] * h_at(s, i); }
        set_e(s, y - train_y[member * P + perm[pbase + s]]);
      }
      sync();
      for (var idx = lid; idx < S * N; idx += WG) {
        let s = idx / N;
        set_u(s, idx - s * N, e_at(s) * u_at(s, idx - s * N));
      }
      sync();
      // Hidden layer: W1 <- W1 - eta * G1 D1, G1 = (1/|S|) sum_s (f_i u_si) x_sj.
      var ss1 = 0.0;
      for (var idx = lid; idx < N * M; idx += WG) {
        let j = idx / N;
        let i = idx - j * N;
        var g = 0.0;
        for (var s = 0u; s < S; s++) { g += u_at(s, i) * x_at(s, j); }
        let w = w1[w1base + idx] - params.eta * ((${feedback} * g * params.inv_batch) * consts[cbase + j]);
        w1[w1base + idx] = w;
        ss1 += w * w;
      }
      // Every invocation has read the old W2 (the feedback) before it changes.
      sync();
      var ss2 = 0.0;
      for (var i = lid; i < N; i += WG) {
        var g = 0.0;
        for (var s = 0u; s < S; s++) { g += e_at(s) * h_at(s, i); }
        let w = w2[w2base + i] - params.eta * ((g * params.inv_batch) * consts[cbase + M + i]);
        w2[w2base + i] = w;
        ss2 += w * w;
      }
      red1[lid] = ss1;
      red2[lid] = ss2;
      sync();
      for (var half = WG / 2u; half > 0u; half = half / 2u) {
        if (lid < half) {
          red1[lid] += red1[lid + half];
          red2[lid] += red2[lid + half];
        }
        workgroupBarrier();
      }
      if (lid == 0u) {
        let n1 = sqrt(red1[0]);
        let n2 = sqrt(red2[0]);
        let bad = !is_finite(n1) || !is_finite(n2) || (${renormalizing} && (n1 == 0.0 || n2 == 0.0));
        if (bad) {
          dead = t + 1u;
          status[member * 2u + 1u] = t + 1u;
        } else {
          red1[0] = consts[cbase + CS - 2u] / n1;
          red2[0] = consts[cbase + CS - 1u] / n2;
        }
      }
      if (workgroupUniformLoad(&dead) != 0u) { break; }
      if (${renormalizing}) {
        let s1 = red1[0];
        let s2 = red2[0];
        // Each invocation rescales the elements it wrote itself.
        for (var idx = lid; idx < N * M; idx += WG) { w1[w1base + idx] = w1[w1base + idx] * s1; }
        for (var i = lid; i < N; i += WG) { w2[w2base + i] = w2[w2base + i] * s2; }
      }
      sync();
    }
    if (workgroupUniformLoad(&dead) != 0u) { break; }
  }
}
`;
}

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
 * Device layout (float32, per member m):
 * - train_x [B, P, M] row-major, train_y [B, P];
 * - w1 [B, M, N]: W1 stored TRANSPOSED, element (i, j) of W1 at j*N + i, so that consecutive
 *   invocations (consecutive hidden units i) touch consecutive addresses in both the forward
 *   product and the update;
 * - w2 [B, N];
 * - consts [B, CS], CS = M + 2N + 2: d1 (M), d2 (N), fixed feedback B (N), norm1, norm2;
 * - status [B, 2] u32: shuffle seed, and 1 + the epoch of failure (0 while running);
 * - perm [B, P] u32: the current epoch's permutation, drawn by invocation 0;
 * - the minibatch's inputs x (|S| M), h (|S| N), phi' then u = e phi' (|S| N) and e (|S|): in
 *   workgroup memory when they fit in its capacity, otherwise h, u, e in a device scratch buffer
 *   [B, 2|S|N + |S|] and x read in place from train_x.
 *
 * Sizes, rates, activation and rule are run-time values of the uniform block, not constants:
 * constant trip counts let the shader compiler unroll every loop (llvmpipe then spent seconds
 * compiling each shape), and one pipeline per scratch placement serves every shape and rule.
 * Sums run in increasing index order within an invocation; the norms are reduced by a tree over
 * the workgroup, so float32 results differ from the CPU's float64 only by rounding.
 *
 * This is the streaming variant: W1 and W2 stay in device memory and every step reads and writes
 * them there. The on-chip variant (student-teacher-onchip.wgsl.ts) computes the same update with
 * the weights in workgroup memory and registers; the backend runs it wherever it fits.
 */
import { activationWgsl } from "./activation.wgsl.ts";
import { counterRngWgsl } from "./counter-rng.wgsl.ts";

/** The compile-time choices of the fused kernel. */
export interface StudentTeacherKernelConfig {
  /** Invocations per workgroup, a power of two. */
  workgroupSize: number;
  /** Where the per-minibatch intermediates live. */
  scratch: "workgroup" | "storage";
  /** Floats of workgroup memory for the intermediates (used with scratch = "workgroup"). */
  capacity: number;
}

/** Floats of intermediates per member: x (|S| M), h and u (|S| N each), e (|S|). */
export function workgroupFloats(inputs: number, hidden: number, batchSize: number): number {
  return batchSize * inputs + 2 * batchSize * hidden + batchSize;
}

/** Floats of device scratch per member with scratch = "storage" (h, u, e). */
export function storageScratchFloats(hidden: number, batchSize: number): number {
  return 2 * batchSize * hidden + batchSize;
}

/** Floats of workgroup memory available for intermediates under a byte limit. */
export function workgroupCapacity(maxWorkgroupStorageBytes: number, workgroupSize: number): number {
  // The two reduction arrays and the failure flag take 8 * WG + 4 bytes.
  return Math.max(0, Math.floor((maxWorkgroupStorageBytes - 8 * workgroupSize - 16) / 4));
}

/** Bytes of the uniform parameter block (see Params in the source). */
export const stepParamsBytes = 48;

/**
 * The uniform block: epoch0, epochs, eta, 1/|S|, M, N, P, |S|, activation code, fixed feedback
 * (0/1), renormalize (0/1), padding.
 */
export function stepParams(p: {
  epoch0: number;
  epochs: number;
  eta: number;
  inputs: number;
  hidden: number;
  trainCount: number;
  batchSize: number;
  activationCode: number;
  fixedFeedback: boolean;
  renormalize: boolean;
}): ArrayBuffer {
  const buffer = new ArrayBuffer(stepParamsBytes);
  const u32 = new Uint32Array(buffer);
  const f32 = new Float32Array(buffer);
  u32[0] = p.epoch0;
  u32[1] = p.epochs;
  f32[2] = p.eta;
  f32[3] = 1 / p.batchSize;
  u32.set(
    [p.inputs, p.hidden, p.trainCount, p.batchSize, p.activationCode, +p.fixedFeedback, +p.renormalize],
    4,
  );
  return buffer;
}

/** The WGSL source of the fused kernel. */
export function studentTeacherStepWgsl(k: StudentTeacherKernelConfig): string {
  const WG = k.workgroupSize;
  const inWorkgroup = k.scratch === "workgroup";
  const scratchDecl = inWorkgroup
    ? `
var<workgroup> shared_f: array<f32, ${Math.max(1, k.capacity)}>;
// Offsets in shared_f: x at 0, h at S*M, u at S*M + S*N, e at S*M + 2*S*N.
fn x_at(s: u32, j: u32) -> f32 { return shared_f[s * M + j]; }
fn h_at(s: u32, i: u32) -> f32 { return shared_f[S * M + s * N + i]; }
fn set_h(s: u32, i: u32, v: f32) { shared_f[S * M + s * N + i] = v; }
fn u_at(s: u32, i: u32) -> f32 { return shared_f[S * M + S * N + s * N + i]; }
fn set_u(s: u32, i: u32, v: f32) { shared_f[S * M + S * N + s * N + i] = v; }
fn e_at(s: u32) -> f32 { return shared_f[S * M + 2u * S * N + s]; }
fn set_e(s: u32, v: f32) { shared_f[S * M + 2u * S * N + s] = v; }
`
    : `
@group(0) @binding(8) var<storage, read_write> scratch: array<f32>;
fn scr() -> u32 { return member * (2u * S * N + S); }
fn x_at(s: u32, j: u32) -> f32 { return train_x[(member * P + perm[pbase + s]) * M + j]; }
fn h_at(s: u32, i: u32) -> f32 { return scratch[scr() + s * N + i]; }
fn set_h(s: u32, i: u32, v: f32) { scratch[scr() + s * N + i] = v; }
fn u_at(s: u32, i: u32) -> f32 { return scratch[scr() + S * N + s * N + i]; }
fn set_u(s: u32, i: u32, v: f32) { scratch[scr() + S * N + s * N + i] = v; }
fn e_at(s: u32) -> f32 { return scratch[scr() + 2u * S * N + s]; }
fn set_e(s: u32, v: f32) { scratch[scr() + 2u * S * N + s] = v; }
`;
  const loadMinibatch = inWorkgroup
    ? `
      for (var idx = lid; idx < S * M; idx += WG) {
        let s = idx / M;
        shared_f[idx] = train_x[(member * P + perm[pbase + s]) * M + (idx - s * M)];
      }
      workgroupBarrier();`
    : "";
  return /* wgsl */ `
${counterRngWgsl}
${activationWgsl}

struct Params {
  epoch0: u32, epochs: u32, eta: f32, inv_batch: f32,
  m: u32, n: u32, p: u32, s: u32,
  activation: u32, fixed_feedback: u32, renormalize: u32, pad: u32,
}

const WG = ${WG}u;

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
var<private> M: u32;
var<private> N: u32;
var<private> P: u32;
var<private> S: u32;
${scratchDecl}

// NaN and inf by their bits: compilers may assume finite floats and fold x != x away.
fn is_finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }

fn sync() {
  storageBarrier();
  workgroupBarrier();
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  M = params.m;
  N = params.n;
  P = params.p;
  S = params.s;
  let act = params.activation;
  let fixed_feedback = params.fixed_feedback != 0u;
  let CS = M + 2u * N + 2u;
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
    for (var step = 0u; step < params.p / params.s; step++) {
      pbase = member * P + step * S;
${loadMinibatch}
      // Forward pass on the minibatch: h = phi(W1 x), phi'(W1 x).
      for (var idx = lid; idx < S * N; idx += WG) {
        let s = idx / N;
        let i = idx - s * N;
        var a = 0.0;
        for (var j = 0u; j < M; j++) { a += w1[w1base + j * N + i] * x_at(s, j); }
        set_h(s, i, phi(act, a));
        set_u(s, i, phi_prime(act, a));
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
        let f = select(w2[w2base + i], consts[cbase + M + N + i], fixed_feedback);
        let w = w1[w1base + idx] - params.eta * ((f * g * params.inv_batch) * consts[cbase + j]);
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
        let bad = !is_finite(n1) || !is_finite(n2) || (params.renormalize != 0u && (n1 == 0.0 || n2 == 0.0));
        if (bad) {
          dead = t + 1u;
          status[member * 2u + 1u] = t + 1u;
        } else {
          red1[0] = consts[cbase + CS - 2u] / n1;
          red2[0] = consts[cbase + CS - 1u] / n2;
        }
      }
      if (workgroupUniformLoad(&dead) != 0u) { break; }
      if (params.renormalize != 0u) {
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

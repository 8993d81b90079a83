// AssemblyScript source of the WebAssembly SIMD kernel of the student-teacher step
// (src/backend/wasm-student-teacher.ts loads the compiled module). It computes exactly the step
// specified in src/backend/backend.ts and implemented readably in
// src/backend/cpu-student-teacher.ts, with the inner loops over the input dimension M done two
// float64 lanes at a time (f64x2). Build: npm run build:wasm.
//
// All arrays live in linear memory; arguments are byte offsets. Layout per member (float64
// unless noted): X [P, M], Y [P], W1 [N, M], W2 [N], D1 [M], D2 [N], FB [N], PERM [P] (i32),
// scratch XB [S, M], XD [S, M], A [S, N], H [S, N], DT [N, S], E [S].

// @ts-nocheck

@inline function act(kind: i32, a: f64): f64 {
  if (kind == 1) return Math.tanh(a);
  if (kind == 2) return a > 0 ? a : 0;
  return a;
}

@inline function actPrime(kind: i32, a: f64, h: f64): f64 {
  if (kind == 1) return 1 - h * h;
  if (kind == 2) return a > 0 ? 1 : 0;
  return 1;
}

@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** sum_j a[j] b[j] over n float64 at byte offsets a, b (two lanes, then the odd tail). */
@inline function dot(a: usize, b: usize, n: i32): f64 {
  let s = f64x2.splat(0);
  const n2 = n & ~1;
  let j = 0;
  for (; j < n2; j += 2) s = f64x2.add(s, f64x2.mul(v128.load(a + <usize>j * 8), v128.load(b + <usize>j * 8)));
  let r = hsum(s);
  if (j < n) r += load<f64>(a + <usize>j * 8) * load<f64>(b + <usize>j * 8);
  return r;
}

/** w[j] -= c x[j] for n float64 at byte offsets w, x. */
@inline function axpyDown(w: usize, x: usize, c: f64, n: i32): void {
  const v = f64x2.splat(c);
  const n2 = n & ~1;
  let j = 0;
  for (; j < n2; j += 2) v128.store(w + <usize>j * 8, f64x2.sub(v128.load(w + <usize>j * 8), f64x2.mul(v, v128.load(x + <usize>j * 8))));
  if (j < n) store<f64>(w + <usize>j * 8, load<f64>(w + <usize>j * 8) - c * load<f64>(x + <usize>j * 8));
}

/** Runs `steps` SGD steps on the minibatches perm[s*S ...]; returns 1, or 0 when the member fails. */
export function steps(
  X: usize, Y: usize, W1: usize, W2: usize, D1: usize, D2: usize, FB: usize, PERM: usize,
  XB: usize, XD: usize, A: usize, H: usize, DT: usize, E: usize,
  M: i32, N: i32, S: i32, kind: i32, fixedFeedback: i32, eta: f64,
  norm1: f64, norm2: f64, renormalize: i32, count: i32,
): i32 {
  const M2 = M & ~1;
  for (let step = 0; step < count; step++) {
    // Gather the minibatch and eta * d1_j * x.
    for (let k = 0; k < S; k++) {
      const row = X + <usize>(load<i32>(PERM + (<usize>(step * S + k) << 2)) * M) * 8;
      for (let j = 0; j < M; j++) {
        const x = load<f64>(row + <usize>j * 8);
        store<f64>(XB + <usize>(k * M + j) * 8, x);
        store<f64>(XD + <usize>(k * M + j) * 8, eta * load<f64>(D1 + <usize>j * 8) * x);
      }
    }
    // Forward: a_k = W1 x_k, two rows of W1 and four samples per pass (8 products per 6 loads).
    let i = 0;
    for (; i + 1 < N; i += 2) {
      const wr = W1 + <usize>(i * M) * 8;
      const ur = wr + <usize>M * 8;
      let k = 0;
      for (; k + 3 < S; k += 4) {
        const x0 = XB + <usize>(k * M) * 8;
        const x1 = x0 + <usize>M * 8;
        const x2 = x1 + <usize>M * 8;
        const x3 = x2 + <usize>M * 8;
        let s0 = f64x2.splat(0);
        let s1 = f64x2.splat(0);
        let s2 = f64x2.splat(0);
        let s3 = f64x2.splat(0);
        let t0 = f64x2.splat(0);
        let t1 = f64x2.splat(0);
        let t2 = f64x2.splat(0);
        let t3 = f64x2.splat(0);
        let j = 0;
        for (; j < M2; j += 2) {
          const o = <usize>j * 8;
          const w = v128.load(wr + o);
          const u = v128.load(ur + o);
          const y0 = v128.load(x0 + o);
          const y1 = v128.load(x1 + o);
          const y2 = v128.load(x2 + o);
          const y3 = v128.load(x3 + o);
          s0 = f64x2.add(s0, f64x2.mul(w, y0));
          s1 = f64x2.add(s1, f64x2.mul(w, y1));
          s2 = f64x2.add(s2, f64x2.mul(w, y2));
          s3 = f64x2.add(s3, f64x2.mul(w, y3));
          t0 = f64x2.add(t0, f64x2.mul(u, y0));
          t1 = f64x2.add(t1, f64x2.mul(u, y1));
          t2 = f64x2.add(t2, f64x2.mul(u, y2));
          t3 = f64x2.add(t3, f64x2.mul(u, y3));
        }
        let r0 = hsum(s0);
        let r1 = hsum(s1);
        let r2 = hsum(s2);
        let r3 = hsum(s3);
        let q0 = hsum(t0);
        let q1 = hsum(t1);
        let q2 = hsum(t2);
        let q3 = hsum(t3);
        if (j < M) {
          const o = <usize>j * 8;
          const w = load<f64>(wr + o);
          const u = load<f64>(ur + o);
          r0 += w * load<f64>(x0 + o);
          r1 += w * load<f64>(x1 + o);
          r2 += w * load<f64>(x2 + o);
          r3 += w * load<f64>(x3 + o);
          q0 += u * load<f64>(x0 + o);
          q1 += u * load<f64>(x1 + o);
          q2 += u * load<f64>(x2 + o);
          q3 += u * load<f64>(x3 + o);
        }
        store<f64>(A + <usize>(k * N + i) * 8, r0);
        store<f64>(A + <usize>((k + 1) * N + i) * 8, r1);
        store<f64>(A + <usize>((k + 2) * N + i) * 8, r2);
        store<f64>(A + <usize>((k + 3) * N + i) * 8, r3);
        store<f64>(A + <usize>(k * N + i + 1) * 8, q0);
        store<f64>(A + <usize>((k + 1) * N + i + 1) * 8, q1);
        store<f64>(A + <usize>((k + 2) * N + i + 1) * 8, q2);
        store<f64>(A + <usize>((k + 3) * N + i + 1) * 8, q3);
      }
      for (; k < S; k++) {
        store<f64>(A + <usize>(k * N + i) * 8, dot(wr, XB + <usize>(k * M) * 8, M));
        store<f64>(A + <usize>(k * N + i + 1) * 8, dot(ur, XB + <usize>(k * M) * 8, M));
      }
    }
    for (; i < N; i++) {
      const wr = W1 + <usize>(i * M) * 8;
      for (let k = 0; k < S; k++) store<f64>(A + <usize>(k * N + i) * 8, dot(wr, XB + <usize>(k * M) * 8, M));
    }
    for (let q = 0; q < S * N; q++) store<f64>(H + <usize>q * 8, act(kind, load<f64>(A + <usize>q * 8)));
    // Errors and hidden signals, from the weights before the step.
    const fb = fixedFeedback ? FB : W2;
    for (let k = 0; k < S; k++) {
      let y: f64 = 0;
      for (let i = 0; i < N; i++) y += load<f64>(W2 + <usize>i * 8) * load<f64>(H + <usize>(k * N + i) * 8);
      const sample = load<i32>(PERM + (<usize>(step * S + k) << 2));
      const e = y - load<f64>(Y + <usize>sample * 8);
      store<f64>(E + <usize>k * 8, e);
      for (let i = 0; i < N; i++) {
        const q = <usize>(k * N + i) * 8;
        const d = (load<f64>(fb + <usize>i * 8) * actPrime(kind, load<f64>(A + q), load<f64>(H + q)) * e) / <f64>S;
        store<f64>(DT + <usize>(i * S + k) * 8, d);
      }
    }
    // Readout.
    let sq2: f64 = 0;
    for (let i = 0; i < N; i++) {
      let g: f64 = 0;
      for (let k = 0; k < S; k++) g += load<f64>(E + <usize>k * 8) * load<f64>(H + <usize>(k * N + i) * 8);
      const w = load<f64>(W2 + <usize>i * 8) - eta * load<f64>(D2 + <usize>i * 8) * (g / <f64>S);
      store<f64>(W2 + <usize>i * 8, w);
      sq2 += w * w;
    }
    // Hidden layer: W1 <- W1 - sum_k delta_k (eta x_k^T D1); two rows and four samples per pass.
    let acc = f64x2.splat(0);
    let sq1: f64 = 0;
    let r = 0;
    for (; r + 1 < N; r += 2) {
      const wr = W1 + <usize>(r * M) * 8;
      const ur = wr + <usize>M * 8;
      const dr = DT + <usize>(r * S) * 8;
      const er = dr + <usize>S * 8;
      let k = 0;
      for (; k + 3 < S; k += 4) {
        const a0 = f64x2.splat(load<f64>(dr + <usize>k * 8));
        const a1 = f64x2.splat(load<f64>(dr + <usize>(k + 1) * 8));
        const a2 = f64x2.splat(load<f64>(dr + <usize>(k + 2) * 8));
        const a3 = f64x2.splat(load<f64>(dr + <usize>(k + 3) * 8));
        const b0 = f64x2.splat(load<f64>(er + <usize>k * 8));
        const b1 = f64x2.splat(load<f64>(er + <usize>(k + 1) * 8));
        const b2 = f64x2.splat(load<f64>(er + <usize>(k + 2) * 8));
        const b3 = f64x2.splat(load<f64>(er + <usize>(k + 3) * 8));
        const x0 = XD + <usize>(k * M) * 8;
        const x1 = x0 + <usize>M * 8;
        const x2 = x1 + <usize>M * 8;
        const x3 = x2 + <usize>M * 8;
        let j = 0;
        for (; j < M2; j += 2) {
          const o = <usize>j * 8;
          const y0 = v128.load(x0 + o);
          const y1 = v128.load(x1 + o);
          const y2 = v128.load(x2 + o);
          const y3 = v128.load(x3 + o);
          const du = f64x2.add(f64x2.add(f64x2.mul(a0, y0), f64x2.mul(a1, y1)), f64x2.add(f64x2.mul(a2, y2), f64x2.mul(a3, y3)));
          const dv = f64x2.add(f64x2.add(f64x2.mul(b0, y0), f64x2.mul(b1, y1)), f64x2.add(f64x2.mul(b2, y2), f64x2.mul(b3, y3)));
          v128.store(wr + o, f64x2.sub(v128.load(wr + o), du));
          v128.store(ur + o, f64x2.sub(v128.load(ur + o), dv));
        }
        if (j < M) {
          const o = <usize>j * 8;
          const y0 = load<f64>(x0 + o);
          const y1 = load<f64>(x1 + o);
          const y2 = load<f64>(x2 + o);
          const y3 = load<f64>(x3 + o);
          const da = f64x2.extract_lane(a0, 0) * y0 + f64x2.extract_lane(a1, 0) * y1 + f64x2.extract_lane(a2, 0) * y2 + f64x2.extract_lane(a3, 0) * y3;
          const db = f64x2.extract_lane(b0, 0) * y0 + f64x2.extract_lane(b1, 0) * y1 + f64x2.extract_lane(b2, 0) * y2 + f64x2.extract_lane(b3, 0) * y3;
          store<f64>(wr + o, load<f64>(wr + o) - da);
          store<f64>(ur + o, load<f64>(ur + o) - db);
        }
      }
      for (; k < S; k++) {
        axpyDown(wr, XD + <usize>(k * M) * 8, load<f64>(dr + <usize>k * 8), M);
        axpyDown(ur, XD + <usize>(k * M) * 8, load<f64>(er + <usize>k * 8), M);
      }
    }
    for (; r < N; r++) {
      const wr = W1 + <usize>(r * M) * 8;
      const dr = DT + <usize>(r * S) * 8;
      for (let k = 0; k < S; k++) axpyDown(wr, XD + <usize>(k * M) * 8, load<f64>(dr + <usize>k * 8), M);
    }
    // Sum of squares of the updated W1.
    const NM = N * M;
    let q = 0;
    for (; q + 1 < NM; q += 2) {
      const w = v128.load(W1 + <usize>q * 8);
      acc = f64x2.add(acc, f64x2.mul(w, w));
    }
    if (q < NM) {
      const w = load<f64>(W1 + <usize>q * 8);
      sq1 += w * w;
    }
    sq1 += hsum(acc);
    const n1 = Math.sqrt(sq1);
    const n2 = Math.sqrt(sq2);
    if (!isFinite(n1) || !isFinite(n2)) return 0;
    if (renormalize) {
      if (n1 == 0 || n2 == 0) return 0;
      const c1 = norm1 / n1;
      const c2 = norm2 / n2;
      const v1 = f64x2.splat(c1);
      q = 0;
      for (; q + 1 < NM; q += 2) v128.store(W1 + <usize>q * 8, f64x2.mul(v1, v128.load(W1 + <usize>q * 8)));
      if (q < NM) store<f64>(W1 + <usize>q * 8, c1 * load<f64>(W1 + <usize>q * 8));
      for (let i = 0; i < N; i++) store<f64>(W2 + <usize>i * 8, c2 * load<f64>(W2 + <usize>i * 8));
    }
  }
  return 1;
}

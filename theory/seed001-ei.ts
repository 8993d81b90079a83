/**
 * The excitatory-inhibitory architecture of seed 001, appendix A.4 (after Pehlevan et al. 2015):
 * neurons [FF, RecE, RecI], synapses FF->RecE (A), RecI->RecE (B), RecE->RecI (C) only, inputs to
 * FF only, D = diag(I, I, -I). The Hebbian field is W' = mask o (y y^T) with the steady state
 * y = (I + WD + (WD)^2 + (WD)^3) f truncated at third order in W (eqs. 42-43).
 */
import { type Mat, matmul, transpose, zeros } from "./support/linalg.ts";

export interface EiSizes {
  ff: number;
  e: number;
  i: number;
}

const total = (s: EiSizes) => s.ff + s.e + s.i;

/** Flat index of synapse (post, pre) in the full matrix. */
const at = (s: EiSizes, post: number, pre: number) => post * total(s) + pre;

/** Whether synapse (post, pre) exists in the architecture of eq. 39. */
export function exists(s: EiSizes, post: number, pre: number): boolean {
  const block = (k: number) => (k < s.ff ? 0 : k < s.ff + s.e ? 1 : 2);
  const [bp, bq] = [block(post), block(pre)];
  return (bp === 1 && bq === 0) || (bp === 1 && bq === 2) || (bp === 2 && bq === 1);
}

/** The masked third-order Hebbian field (eqs. 42-43) as a map on flat full matrices. */
export function eiArchitectureField(s: EiSizes, f: number[]) {
  const n = total(s);
  const d = Array.from({ length: n }, (_, k) => (k >= s.ff + s.e ? -1 : 1));
  const fv = Array.from({ length: n }, (_, k) => (k < s.ff ? f[k]! : 0));
  const sigma: Mat = fv.map((a) => fv.map((b) => a * b));
  return (y: ArrayLike<number>): Float64Array => {
    const w: Mat = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => y[a * n + b]!));
    const a1 = w.map((row) => row.map((v, b) => v * d[b]!)); // A = W D
    const powers: Mat[] = [
      Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))),
    ];
    for (let p = 1; p <= 3; p++) powers.push(matmul(powers[p - 1]!, a1));
    const out = zeros(n, n);
    for (let p = 0; p <= 3; p++)
      for (let q = 0; p + q <= 3; q++) {
        const term = matmul(matmul(powers[p]!, sigma), transpose(powers[q]!));
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i]![j]! += term[i]![j]!;
      }
    const flat = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) if (exists(s, i, j)) flat[i * n + j] = out[i]![j]!;
    return flat;
  };
}

/**
 * Orthonormal basis (rows, in R^{n^2}) of the architecture's synapses with the constraint
 * B = C^T (W_{RecI->RecE} = W_{RecE->RecI}^T), as A.4 assumes: A entries, then C entries paired
 * with the matching B entries.
 */
export function eiConstrainedBasis(s: EiSizes): number[][] {
  const n = total(s);
  const basis: number[][] = [];
  for (let e = 0; e < s.e; e++)
    for (let q = 0; q < s.ff; q++) {
      const b = new Array<number>(n * n).fill(0);
      b[at(s, s.ff + e, q)] = 1;
      basis.push(b);
    }
  for (let i = 0; i < s.i; i++)
    for (let e = 0; e < s.e; e++) {
      const b = new Array<number>(n * n).fill(0);
      b[at(s, s.ff + s.e + i, s.ff + e)] = Math.SQRT1_2; // C[i][e]
      b[at(s, s.ff + e, s.ff + s.e + i)] = Math.SQRT1_2; // B[e][i] = C[i][e]
      basis.push(b);
    }
  return basis;
}

/** Orthonormal basis of all existing synapses (A, B, C independent). */
export function eiFreeBasis(s: EiSizes): number[][] {
  const n = total(s);
  const basis: number[][] = [];
  for (let post = 0; post < n; post++)
    for (let pre = 0; pre < n; pre++)
      if (exists(s, post, pre)) {
        const b = new Array<number>(n * n).fill(0);
        b[post * n + pre] = 1;
        basis.push(b);
      }
  return basis;
}

/** Eq. 45's objective -1/2 Tr((M - I) Sigma_rec), M = B C, Sigma_rec = A Sigma_FF A^T, on flat full matrices. */
export function eq45Objective(s: EiSizes, f: number[]) {
  const n = total(s);
  return (y: ArrayLike<number>): number => {
    const block = (r0: number, rn: number, c0: number, cn: number) =>
      Array.from({ length: rn }, (_, a) => Array.from({ length: cn }, (_, b) => y[(r0 + a) * n + c0 + b]!));
    const a = block(s.ff, s.e, 0, s.ff);
    const b = block(s.ff, s.e, s.ff + s.e, s.i);
    const c = block(s.ff + s.e, s.i, s.ff, s.e);
    const sff = f.map((p) => f.map((q) => p * q));
    const srec = matmul(matmul(a, sff), transpose(a));
    const m = matmul(b, c);
    let tr = 0;
    for (let i = 0; i < s.e; i++)
      for (let j = 0; j < s.e; j++) tr += (m[i]![j]! - (i === j ? 1 : 0)) * srec[j]![i]!;
    return -0.5 * tr;
  };
}

/** Flat full matrix from A (e x ff) and C (i x e) entries with B = C^T. */
export function embedTied(s: EiSizes, a: ArrayLike<number>, c: ArrayLike<number>): Float64Array {
  const n = total(s);
  const y = new Float64Array(n * n);
  for (let e = 0; e < s.e; e++) for (let q = 0; q < s.ff; q++) y[at(s, s.ff + e, q)] = a[e * s.ff + q]!;
  for (let i = 0; i < s.i; i++)
    for (let e = 0; e < s.e; e++) {
      y[at(s, s.ff + s.e + i, s.ff + e)] = c[i * s.e + e]!;
      y[at(s, s.ff + e, s.ff + s.e + i)] = c[i * s.e + e]!;
    }
  return y;
}

/** The A, B and C blocks of a flat full matrix (B returned transposed, to compare with C). */
export function blocks(s: EiSizes, y: ArrayLike<number>) {
  const n = total(s);
  const a: number[] = [];
  const c: number[] = [];
  const bT: number[] = [];
  for (let e = 0; e < s.e; e++) for (let q = 0; q < s.ff; q++) a.push(y[at(s, s.ff + e, q)]!);
  for (let i = 0; i < s.i; i++)
    for (let e = 0; e < s.e; e++) {
      c.push(y[at(s, s.ff + s.e + i, s.ff + e)]!);
      bT.push(y[(s.ff + e) * n + s.ff + s.e + i]!);
    }
  return { a, c, bT };
}

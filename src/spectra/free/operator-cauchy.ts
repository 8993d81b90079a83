/**
 * The operator-valued Cauchy transform of a linear pencil L whose letters are Gaussian (Wigner or
 * rectangular) and deterministic diagonal matrices. The Gaussian part is an operator-valued
 * semicircular element over the algebra of the diagonals (a Gaussian matrix is free from
 * deterministic ones, hence semicircular over them with covariance given by normalized traces:
 * Nica, Shlyakhtenko and Speicher 2002), so with G the block-wise normalized traces,
 *     G = E_d[(Λ − L₀ − L_D(d) − η(G))⁻¹]                                  (*)
 * (Helton, Rashidi Far and Speicher 2007 for L_D = 0), E_d the average over the joint law of the
 * diagonals' entries (independent across ensembles). The covariance η comes from the pairings:
 *     X at (i, j), Xᵀ at (k, l):  η_il += c₁c₂ v τ_B(G_jk),
 *     Xᵀ at (i, j), X at (k, l):  η_il += c₁c₂ v (|A|/|B|) τ_A(G_jk),
 * for X ∈ R^{|A|×|B|} with entries of variance v/|B|, and every pair of occurrences of a Wigner
 * matrix with weight c₁c₂ v (same-orientation pairs of a non-symmetric matrix vanish in the
 * limit, their contribution to η being O(1/N) in norm). Λ, L₀, L_D and η are block diagonal in
 * the spaces, so (*) is solved block by block and only the entries that η reads (plus G₀₀)
 * are unknowns: `u`, complex-symmetric pairs (j ≤ k).
 */
import { InvalidArgumentError } from "../../util/errors.ts";
import { invertComplex, invertReal } from "./dense-linear.ts";
import type { Ensemble, Space } from "./expression.ts";
import type { LinearPencil } from "./linearization.ts";

interface SpaceBlock {
  /** Global rows of this space. */
  rows: number[];
  /** Local index of global row 0, or −1. */
  origin: number;
  /** Configurations of the diagonals: weight and the constant block −L₀ − L_D(d) (m × m). */
  weights: number[];
  constants: Float64Array[];
  /** η terms in local coordinates: η[i][l] += w u[q]. */
  etaI: Int32Array;
  etaL: Int32Array;
  etaQ: Int32Array;
  etaW: Float64Array;
  /** Needed entries of this space: unknown index and local (j, k). */
  neededQ: Int32Array;
  neededJ: Int32Array;
  neededK: Int32Array;
}

/** Bound on the number of joint atom configurations of the diagonals on one space. */
export const MAX_CONFIGURATIONS = 4096;

export class OperatorCauchyProblem {
  /** Number of unknowns (needed entries of G); unknown 0 is G₀₀, the scalar Cauchy transform. */
  readonly size: number;
  /** Global (j, k) of each unknown. */
  readonly entries: [number, number][];
  private blocks: SpaceBlock[];
  private readonly work: { re: Float64Array; im: Float64Array; perm: Int32Array };

  /** η terms (global rows), with the ensemble and the kind of pairing that sets their weight. */
  private readonly etaTerms: {
    i: number;
    l: number;
    q: number;
    name: string;
    coefficient: number;
    pairing: "wigner" | "XXt" | "XtX";
  }[];
  private mMax: number;

  /**
   * `observed`: further entries (j, k) of G to solve for and report, beyond those η reads (each
   * pair on one space); the hermitization reads its off-diagonal corner this way.
   */
  constructor(
    readonly pencil: LinearPencil,
    observed: readonly (readonly [number, number])[] = [],
  ) {
    const fn = "OperatorCauchyProblem";
    const { letters, ensembles } = pencil;
    const entryIndex = new Map<string, number>();
    const entries: [number, number][] = [];
    const unknown = (j: number, k: number) => {
      const a = Math.min(j, k);
      const b = Math.max(j, k);
      const key = `${a},${b}`;
      let q = entryIndex.get(key);
      if (q === undefined) {
        q = entries.length;
        entries.push([a, b]);
        entryIndex.set(key, q);
      }
      return q;
    };
    unknown(0, 0);
    for (const [j, k] of observed) {
      if (pencil.spaceOf[j] === undefined || pencil.spaceOf[j] !== pencil.spaceOf[k])
        throw new InvalidArgumentError(fn, "observed", "entries (j, k) of rows on one space", [j, k]);
      unknown(j, k);
    }
    this.etaTerms = [];
    for (const [name, e] of ensembles) {
      if (e.kind === "haar")
        throw new InvalidArgumentError(
          fn,
          name,
          "Gaussian, Wigner or diagonal ensembles",
          "a Haar orthogonal matrix",
          "a sum R + Σ U X Uᵀ of free rotations is computed as a free additive convolution (free-rotation.ts: learndyn spectrum FILE.matrix); other uses of a Haar matrix are not",
        );
      if (e.kind === "diagonal") continue;
      const occ = letters.filter((l) => l.name === name);
      for (const o1 of occ)
        for (const o2 of occ) {
          const pairing =
            e.kind === "wigner"
              ? "wigner"
              : !o1.transposed && o2.transposed
                ? "XXt"
                : o1.transposed && !o2.transposed
                  ? "XtX"
                  : null;
          if (pairing)
            this.etaTerms.push({
              i: o1.i,
              l: o2.j,
              q: unknown(o1.j, o2.i),
              name,
              coefficient: o1.coefficient * o2.coefficient,
              pairing,
            });
        }
    }
    this.entries = entries;
    this.size = entries.length;
    this.blocks = [];
    this.mMax = 1;
    this.setEnsembles(ensembles, pencil.spaces);
    this.work = {
      re: new Float64Array(this.mMax ** 2),
      im: new Float64Array(this.mMax ** 2),
      perm: new Int32Array(this.mMax),
    };
  }

  /** The pencil's spaces, in its order, with the sizes the ensembles give them. */
  private spacesOf(ensembles: ReadonlyMap<string, Ensemble>): Space[] {
    const byName = new Map<string, Space>();
    for (const e of ensembles.values()) {
      if (e.kind === "gaussian") {
        byName.set(e.rows.name, e.rows);
        byName.set(e.cols.name, e.cols);
      } else byName.set(e.space.name, e.space);
    }
    return this.pencil.spaces.map((s) => byName.get(s.name) ?? s);
  }

  /**
   * Recomputes the numbers (covariance weights and diagonal configurations) for ensembles of the
   * same names and kinds on spaces of the same names, at other sizes, variances or laws: the same
   * pencil structure at another parameter point, without rebuilding it.
   */
  setEnsembles(
    ensembles: ReadonlyMap<string, Ensemble>,
    spaces: readonly Space[] = this.spacesOf(ensembles),
  ): void {
    const fn = "OperatorCauchyProblem.setEnsembles";
    const { n, spaceOf, letters } = this.pencil;
    const weightOf = (t: (typeof this.etaTerms)[number]) => {
      const e = ensembles.get(t.name);
      if (!e || e.kind === "diagonal" || e.kind === "haar")
        throw new InvalidArgumentError(fn, t.name, "the same ensembles as the pencil", e?.kind);
      const ratio = t.pairing === "XtX" && e.kind === "gaussian" ? e.rows.size / e.cols.size : 1;
      return t.coefficient * e.variance * ratio;
    };
    const blocks: SpaceBlock[] = [];
    for (let s = 0; s < spaces.length; s++) {
      const rows: number[] = [];
      for (let i = 0; i < n; i++) if (spaceOf[i] === s) rows.push(i);
      const local = new Map(rows.map((r, k) => [r, k]));
      const m = rows.length;
      const needed = this.entries.map((e, q) => [q, e] as const).filter(([, [j]]) => spaceOf[j] === s);
      if (needed.length === 0) continue;
      const base = new Float64Array(m * m);
      rows.forEach((r, a) => {
        rows.forEach((c, b) => {
          base[a * m + b] = -this.pencil.constant[r * n + c]!;
        });
      });
      // Joint configurations of the diagonals on this space (independent ensembles).
      let configs: { w: number; block: Float64Array }[] = [{ w: 1, block: base }];
      for (const [name, e] of ensembles) {
        if (e.kind !== "diagonal" || e.space.name !== spaces[s]!.name) continue;
        const occ = letters.filter((l) => l.name === name);
        if (occ.length === 0) continue;
        if (e.law.kind !== "atoms")
          throw new InvalidArgumentError(
            fn,
            name,
            "a diagonal with an atomic law",
            "a uniform law",
            "approximate it by atoms, e.g. a midpoint rule, and state the approximation",
          );
        const law = e.law;
        const next: { w: number; block: Float64Array }[] = [];
        for (const cfg of configs)
          law.atoms.forEach((d, a) => {
            const block = cfg.block.slice();
            for (const o of occ) block[local.get(o.i)! * m + local.get(o.j)!]! -= o.coefficient * d;
            next.push({ w: cfg.w * law.weights[a]!, block });
          });
        if (next.length > MAX_CONFIGURATIONS)
          throw new InvalidArgumentError(
            fn,
            "pencil",
            `at most ${MAX_CONFIGURATIONS} atom configurations per space`,
            next.length,
          );
        configs = next;
      }
      const et = this.etaTerms.filter((t) => spaceOf[t.i] === s);
      blocks.push({
        rows,
        origin: local.get(0) ?? -1,
        weights: configs.map((c) => c.w),
        constants: configs.map((c) => c.block),
        etaI: Int32Array.from(et, (t) => local.get(t.i)!),
        etaL: Int32Array.from(et, (t) => local.get(t.l)!),
        etaQ: Int32Array.from(et, (t) => t.q),
        etaW: Float64Array.from(et, weightOf),
        neededQ: Int32Array.from(needed, ([q]) => q),
        neededJ: Int32Array.from(needed, ([, [j]]) => local.get(j)!),
        neededK: Int32Array.from(needed, ([, [, k]]) => local.get(k)!),
      });
    }
    this.blocks = blocks;
    this.mMax = Math.max(...blocks.map((b) => b.rows.length));
  }

  /**
   * Φ(u) = E_d[(Λ − L₀ − L_D − η(u))⁻¹] at the needed entries, Λ = diag(z, iε, …, iε). With
   * `jac` (size² entries, row-major ∂Φ_p/∂u_q) and `dz` (∂Φ_p/∂z), also the derivatives, from
   * d(B⁻¹) = −B⁻¹ dB B⁻¹. Returns false where a block is singular.
   */
  evaluate(
    zRe: number,
    zIm: number,
    eps: number,
    uRe: Float64Array,
    uIm: Float64Array,
    phiRe: Float64Array,
    phiIm: Float64Array,
    jac?: { re: Float64Array; im: Float64Array },
    dz?: { re: Float64Array; im: Float64Array },
  ): boolean {
    const size = this.size;
    phiRe.fill(0);
    phiIm.fill(0);
    if (jac) {
      jac.re.fill(0);
      jac.im.fill(0);
    }
    if (dz) {
      dz.re.fill(0);
      dz.im.fill(0);
    }
    const { re, im, perm } = this.work;
    for (const b of this.blocks) {
      const m = b.rows.length;
      const nEta = b.etaQ.length;
      for (let c = 0; c < b.weights.length; c++) {
        const w = b.weights[c]!;
        re.set(b.constants[c]!);
        im.fill(0, 0, m * m);
        for (let t = 0; t < nEta; t++) {
          const at = b.etaI[t]! * m + b.etaL[t]!;
          re[at]! -= b.etaW[t]! * uRe[b.etaQ[t]!]!;
          im[at]! -= b.etaW[t]! * uIm[b.etaQ[t]!]!;
        }
        for (let a = 0; a < m; a++) {
          if (a === b.origin) {
            re[a * m + a]! += zRe;
            im[a * m + a]! += zIm;
          } else im[a * m + a]! += eps;
        }
        if (!invertComplex(m, re, im, perm)) return false;
        for (let p = 0; p < b.neededQ.length; p++) {
          const q = b.neededQ[p]!;
          const jp = b.neededJ[p]!;
          const kp = b.neededK[p]!;
          phiRe[q]! += w * re[jp * m + kp]!;
          phiIm[q]! += w * im[jp * m + kp]!;
          if (jac) {
            // ∂Φ_q/∂u_r = Σ_t [r = q_t] w_t R[jp, i_t] R[l_t, kp].
            for (let t = 0; t < nEta; t++) {
              const ar = re[jp * m + b.etaI[t]!]!;
              const ai = im[jp * m + b.etaI[t]!]!;
              const br = re[b.etaL[t]! * m + kp]!;
              const bi = im[b.etaL[t]! * m + kp]!;
              const f = w * b.etaW[t]!;
              const at = q * size + b.etaQ[t]!;
              jac.re[at]! += f * (ar * br - ai * bi);
              jac.im[at]! += f * (ar * bi + ai * br);
            }
          }
          if (dz && b.origin >= 0) {
            const o = b.origin;
            const ar = re[jp * m + o]!;
            const ai = im[jp * m + o]!;
            const br = re[o * m + kp]!;
            const bi = im[o * m + kp]!;
            dz.re[q]! -= w * (ar * br - ai * bi);
            dz.im[q]! -= w * (ar * bi + ai * br);
          }
        }
      }
    }
    return true;
  }

  /**
   * {@link evaluate} at real z = x, ε = 0 and real u, in real arithmetic (the real branch outside
   * the support, where everything is real): Φ, ∂Φ/∂u and ∂Φ/∂x. Kept beside the complex one as
   * the measured fast path of edge maps (1.6× faster on seed 001's pencil: 7.7 against 12.5 µs).
   */
  evaluateReal(x: number, u: Float64Array, phi: Float64Array, jac: Float64Array, dx: Float64Array): boolean {
    const size = this.size;
    phi.fill(0);
    jac.fill(0);
    dx.fill(0);
    const { re, perm } = this.work;
    for (const b of this.blocks) {
      const m = b.rows.length;
      const nEta = b.etaQ.length;
      for (let c = 0; c < b.weights.length; c++) {
        const w = b.weights[c]!;
        re.set(b.constants[c]!);
        for (let t = 0; t < nEta; t++) re[b.etaI[t]! * m + b.etaL[t]!]! -= b.etaW[t]! * u[b.etaQ[t]!]!;
        if (b.origin >= 0) re[b.origin * m + b.origin]! += x;
        if (!invertReal(m, re, perm)) return false;
        for (let p = 0; p < b.neededQ.length; p++) {
          const q = b.neededQ[p]!;
          const jp = b.neededJ[p]!;
          const kp = b.neededK[p]!;
          phi[q]! += w * re[jp * m + kp]!;
          for (let t = 0; t < nEta; t++)
            jac[q * size + b.etaQ[t]!]! +=
              w * b.etaW[t]! * re[jp * m + b.etaI[t]!]! * re[b.etaL[t]! * m + kp]!;
          if (b.origin >= 0) dx[q]! -= w * re[jp * m + b.origin]! * re[b.origin * m + kp]!;
        }
      }
    }
    return true;
  }
}

/**
 * Explicit Runge-Kutta methods from their Butcher tableau. One readable stepper serves every
 * tableau: stage s input y + h sum_j a[s][j] k_j, solution y + h sum_j b_j k_j, and, when the
 * tableau has an embedded pair, the error estimate h sum_j e_j k_j with e = b - bHat
 * (Hairer, Nørsett & Wanner, Solving ODEs I, 2nd ed., sec. II.1 and II.4).
 */
import { InvalidArgumentError } from "../util/errors.ts";
import type { Solver, Stepper, VectorField } from "./types.ts";

/** A Butcher tableau with an optional embedded error weight vector. */
export interface ButcherTableau {
  /** Nodes c_i (c_0 = 0). */
  readonly c: readonly number[];
  /** Strictly lower-triangular coefficients: a[i] has i entries. */
  readonly a: readonly (readonly number[])[];
  /** Weights of the propagated solution. */
  readonly b: readonly number[];
  /** Error weights e = b - bHat of an embedded solution (adaptive methods only). */
  readonly e?: readonly number[];
  /**
   * First same as last: the last stage is evaluated at (t + h, y_new), so it is the first stage
   * of the next step (requires c_last = 1 and a[last] = b).
   */
  readonly fsal?: boolean;
}

/** Dense output built from the stages of an accepted step. */
export interface DenseOutputFormula {
  /**
   * Called on acceptance: y0 and y1 are the step's ends, k its stages, h its size; the formula
   * keeps whatever it needs in its own buffers.
   */
  prepare(y0: Float64Array, y1: Float64Array, k: readonly Float64Array[], h: number): void;
  /** y(t0 + theta h), theta in [0, 1]. */
  evaluate(theta: number, out: Float64Array): void;
}

export interface RungeKuttaDefinition {
  readonly name: string;
  readonly order: number;
  readonly errorOrder?: number;
  readonly tableau: ButcherTableau;
  /** Builds the dense-output formula for dimension n, if the method has one. */
  readonly denseOutput?: (n: number) => DenseOutputFormula;
}

/**
 * Turns a tableau into a {@link Solver}. Adaptive exactly when the tableau has error weights;
 * dense output exactly when a formula is given.
 */
export function explicitRungeKutta(definition: RungeKuttaDefinition): Solver {
  const { tableau } = definition;
  const s = tableau.b.length;
  if (tableau.c.length !== s || tableau.a.length !== s || tableau.a.some((row, i) => row.length !== i)) {
    throw new InvalidArgumentError(
      "explicitRungeKutta",
      "tableau",
      `c, b of length ${s} and a strictly lower-triangular`,
      tableau,
    );
  }
  if (tableau.e && tableau.e.length !== s) {
    throw new InvalidArgumentError("explicitRungeKutta", "tableau.e", `length ${s}`, tableau.e.length);
  }
  const adaptive = tableau.e !== undefined;
  return {
    name: definition.name,
    order: definition.order,
    adaptive,
    ...(definition.errorOrder !== undefined ? { errorOrder: definition.errorOrder } : {}),
    denseOutput: definition.denseOutput !== undefined,
    stepper: (field, n) => new RungeKuttaStepper(definition, field, n),
  };
}

class RungeKuttaStepper implements Stepper {
  evaluations = 0;
  private readonly k: Float64Array[];
  private readonly stage: Float64Array;
  private readonly dense: DenseOutputFormula | null;
  // The step last attempted, remembered for acceptance (first-same-as-last and dense output).
  private lastT = Number.NaN;
  private lastH = Number.NaN;
  private lastY: Float64Array | null = null;
  private lastYOut: Float64Array | null = null;
  // When k0Y is not null, k[0] already holds f(k0T, k0Y): after a rejected step (same start),
  // or after an accepted step of a first-same-as-last method.
  private k0T = Number.NaN;
  private k0Y: Float64Array | null = null;

  private readonly field: VectorField;
  private readonly n: number;
  // The tableau's rows without their zero coefficients.
  private readonly aRows: SparseRow[];
  private readonly bRow: SparseRow;
  private readonly eRow: SparseRow | null;

  constructor(
    private readonly definition: RungeKuttaDefinition,
    field: VectorField,
    n: number,
  ) {
    this.field = field;
    this.n = n;
    const { a, b, e } = definition.tableau;
    this.aRows = a.map(sparseRow);
    this.bRow = sparseRow(b);
    this.eRow = e ? sparseRow(e) : null;
    const s = definition.tableau.b.length;
    this.k = Array.from({ length: s }, () => new Float64Array(n));
    this.stage = new Float64Array(n);
    this.dense = definition.denseOutput ? definition.denseOutput(n) : null;
  }

  step(t: number, y: Float64Array, h: number, yOut: Float64Array, errOut: Float64Array | null): void {
    const { c, fsal } = this.definition.tableau;
    const k = this.k;
    const n = this.n;
    const field = this.field;
    const s = k.length;
    if (!(t === this.k0T && y === this.k0Y)) {
      field(t, y, k[0]!);
      this.evaluations++;
      this.k0T = t;
      this.k0Y = y;
    }
    for (let i = 1; i < s; i++) {
      // For a first-same-as-last method the last stage input is the new solution itself.
      const target = fsal && i === s - 1 ? yOut : this.stage;
      combine(n, y, h, this.aRows[i]!, k, target);
      field(t + c[i]! * h, target, k[i]!);
      this.evaluations++;
    }
    if (!fsal) combine(n, y, h, this.bRow, k, yOut);
    if (errOut && this.eRow) combine(n, null, h, this.eRow, k, errOut);
    this.lastT = t;
    this.lastH = h;
    this.lastY = y;
    this.lastYOut = yOut;
  }

  accept(): void {
    if (!this.lastY || !this.lastYOut) return;
    if (this.dense) this.dense.prepare(this.lastY, this.lastYOut, this.k, this.lastH);
    if (this.definition.tableau.fsal) {
      // The last stage f(t + h, y_new) becomes the first stage of the next step.
      const s = this.k.length;
      const first = this.k[0]!;
      this.k[0] = this.k[s - 1]!;
      this.k[s - 1] = first;
      this.k0T = this.lastT + this.lastH;
      this.k0Y = this.lastYOut;
    } else {
      this.k0Y = null;
    }
  }

  interpolate(theta: number, out: Float64Array): void {
    if (!this.dense) {
      throw new InvalidArgumentError(
        "Stepper.interpolate",
        "solver",
        "a solver with dense output",
        this.definition.name,
      );
    }
    this.dense.evaluate(theta, out);
  }
}

/** The nonzero entries of a coefficient row. */
interface SparseRow {
  readonly index: Int32Array;
  readonly weight: Float64Array;
}

function sparseRow(row: readonly number[]): SparseRow {
  const index = row.flatMap((w, j) => (w === 0 ? [] : [j]));
  return { index: Int32Array.from(index), weight: Float64Array.from(index, (j) => row[j]!) };
}

/**
 * out = base + h (Σ_j w_j k_j) (base omitted when null) over the nonzero weights of `row`; the
 * sum is formed first, then scaled by h, as DOPRI5 does, so rounding matches the reference code.
 * `out` must not alias `base` or any k_j.
 */
function combine(
  n: number,
  base: Float64Array | null,
  h: number,
  row: SparseRow,
  k: readonly Float64Array[],
  out: Float64Array,
): void {
  const { index, weight } = row;
  const terms = index.length;
  if (terms === 0) out.fill(0);
  for (let q = 0; q < terms; q++) {
    const kj = k[index[q]!]!;
    const w = weight[q]!;
    if (q === 0) for (let m = 0; m < n; m++) out[m] = w * kj[m]!;
    else for (let m = 0; m < n; m++) out[m] = out[m]! + w * kj[m]!;
  }
  if (base) for (let m = 0; m < n; m++) out[m] = base[m]! + h * out[m]!;
  else for (let m = 0; m < n; m++) out[m] = h * out[m]!;
}

/**
 * A random-matrix expression read as a free sum of algebraic laws, for the polynomial method
 * ({@link polynomialMethodSupport}): a sum of terms, each a real multiple of
 * - `wigner(N, v)`: a semicircle of variance v;
 * - `W' * W` with W = `gaussian(A, N, v)`: a free Poisson law of rate |A|/|N| and jump v;
 * - `W * W'` with W = `gaussian(N, B, v)`: rate |B|/|N|, jump v|N|/|B|;
 * - `diagonal(N, atoms(…))` or `signs(…)`: an atomic law;
 * - the identity (a number in a sum): a shift.
 * The terms are free when no ensemble appears twice and at most one is diagonal (two diagonal
 * matrices on one space commute). Numbers are read by their shortest decimal text (0.3 is 3/10),
 * which is what a user wrote in the text form. Anything else is refused with the reason.
 */
import { Rational } from "../../expr/index.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import type { Ensemble, MatrixExpr } from "./expression.ts";
import type { AlgebraicSummand } from "./polynomial-method.ts";

const FN = "algebraicSummands";

/** The decimal a float64 prints as, exactly. */
function decimal(x: number): Rational {
  return Rational.parse(String(x));
}

function refuse(what: string, hint: string): never {
  throw new InvalidArgumentError(
    FN,
    "expression",
    "a sum of multiples of wigner, W'W or WW', an atomic diagonal and the identity",
    what,
    hint,
  );
}

function gaussianOf(e: MatrixExpr): Extract<Ensemble, { kind: "gaussian" }> | undefined {
  return e.kind === "matrix" && e.ensemble.kind === "gaussian" ? e.ensemble : undefined;
}

/** One term (without its coefficient) as a summand; `names` collects the ensembles used. */
function term(e: MatrixExpr, coefficient: Rational, names: string[]): AlgebraicSummand {
  const c = coefficient.isOne() ? undefined : coefficient;
  if (e.kind === "identity") return { kind: "shift", value: coefficient };
  if (e.kind === "matrix") {
    const en = e.ensemble;
    names.push(en.name);
    if (en.kind === "wigner") return { kind: "semicircle", variance: decimal(en.variance), coefficient: c };
    if (en.kind === "diagonal" && en.law.kind === "atoms")
      return {
        kind: "atoms",
        atoms: en.law.atoms.map(decimal),
        weights: exactWeights(en.law.weights.map(decimal)),
        coefficient: c,
      };
    refuse(
      `${en.kind} ${en.name}`,
      "its law has no algebraic Cauchy transform here (uniform, Haar, or a lone rectangular matrix)",
    );
  }
  if (e.kind === "product") {
    const [factors, k] = productFactors(e);
    if (factors.length === 2)
      return wishartTerm(factors as [MatrixExpr, MatrixExpr], coefficient.mul(k), names);
  }
  refuse(e.kind, "only W'W or WW' of one gaussian W is a product with an algebraic law here");
}

/** The factors of nested products, with the coefficients of scaled factors (and transposes of them) pulled out. */
function productFactors(e: MatrixExpr): [MatrixExpr[], Rational] {
  if (e.kind === "product") {
    let k = Rational.ONE;
    const out: MatrixExpr[] = [];
    for (const f of e.factors) {
      const [fs, c] = productFactors(f);
      out.push(...fs);
      k = k.mul(c);
    }
    return [out, k];
  }
  if (e.kind === "scale") {
    const [fs, c] = productFactors(e.arg);
    return [fs, c.mul(decimal(e.coefficient))];
  }
  if (e.kind === "transpose" && e.arg.kind !== "matrix") {
    const [fs, c] = productFactors(e.arg);
    if (fs.length === 1) return [[{ kind: "transpose", arg: fs[0]! }], c];
  }
  return [[e], Rational.ONE];
}

/** W'W or WW' of one gaussian W, times a coefficient, as a free Poisson law. */
function wishartTerm(
  [a, b]: [MatrixExpr, MatrixExpr],
  coefficient: Rational,
  names: string[],
): AlgebraicSummand {
  const c = coefficient.isOne() ? undefined : coefficient;
  const left = a.kind === "transpose" ? gaussianOf(a.arg) : undefined;
  const right = b.kind === "transpose" ? gaussianOf(b.arg) : undefined;
  if (left && gaussianOf(b)?.name === left.name) {
    names.push(left.name);
    const rate = decimal(left.rows.size).div(decimal(left.cols.size));
    return { kind: "freePoisson", rate, jump: decimal(left.variance), coefficient: c };
  }
  if (right && gaussianOf(a)?.name === right.name) {
    names.push(right.name);
    const ratio = decimal(right.cols.size).div(decimal(right.rows.size));
    return { kind: "freePoisson", rate: ratio, jump: decimal(right.variance).div(ratio), coefficient: c };
  }
  refuse("product", "only W'W or WW' of one gaussian W is a product with an algebraic law here");
}

/**
 * Weights read as decimals can miss 1 by the float64 rounding of a fraction (1/3 prints as
 * 0.3333333333333333): the last weight is then 1 minus the others, within 1e-12 of its decimal.
 */
function exactWeights(w: Rational[]): Rational[] {
  const rest = w.slice(0, -1).reduce((s, v) => s.sub(v), Rational.ONE);
  const last = w[w.length - 1]!;
  if (Math.abs(rest.sub(last).toNumber()) > 1e-12)
    throw new InvalidArgumentError(FN, "weights", "weights summing to 1", w.map(String));
  return [...w.slice(0, -1), rest];
}

/** The terms of nested sums with their coefficients (a coefficient of a sum multiplies each term). */
function flatTerms(e: MatrixExpr, c: Rational): [MatrixExpr, Rational][] {
  if (e.kind === "sum") return e.terms.flatMap((t) => flatTerms(t, c));
  if (e.kind === "scale") return flatTerms(e.arg, c.mul(decimal(e.coefficient)));
  return [[e, c]];
}

/** The free summands of a self-adjoint expression (see the module comment). */
export function algebraicSummands(e: MatrixExpr): AlgebraicSummand[] {
  const names: string[] = [];
  const out = flatTerms(e, Rational.ONE).map(([t, c]) => term(t, c, names));
  const repeated = names.find((n, k) => names.indexOf(n) !== k);
  if (repeated !== undefined)
    refuse(
      `${repeated} in two terms`,
      "terms sharing an ensemble are not free; the general engine handles them",
    );
  if (out.filter((s) => s.kind === "atoms").length > 1)
    refuse(
      "two diagonal terms",
      "diagonal matrices on one space commute, so they are not free of each other",
    );
  return out;
}

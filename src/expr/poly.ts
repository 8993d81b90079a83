/**
 * Exact sparse multivariate polynomials with rational coefficients over named variables.
 *
 * Why an own exact core rather than a CAS: measured on this project, nerdamer 1.1.13 returns
 * wrong roots (`l^2+4` gives ±i/2) and leaves uncancelled fractions in symbolic determinants;
 * nerdamer-prime is correct more often but slow (a 4x4 symbolic determinant takes about 1 s)
 * and its system solver is wrong on simple systems; mathjs `rationalize` can hang. The
 * analyses need only polynomial arithmetic, exact division, gcd, resultants and Berkowitz
 * determinants, which are small and exact here (BigInt rationals, no floating point).
 *
 * A {@link Poly} is immutable. Every operation that builds a result checks it against
 * {@link polyLimits}.maxTerms and throws {@link BoundExceededError} naming the bound instead of
 * running on: symbolic work on learning rules can blow up combinatorially.
 *
 * Variable names are identifiers (`[A-Za-z_][A-Za-z0-9_]*`); the printed form is the rule
 * language's syntax (`w1^2 - 1/2*s*w2 + 3`), which {@link parsePoly} reads back.
 */
import { checkActiveBudget } from "../util/budget.ts";
import { BoundExceededError, InvalidArgumentError } from "../util/errors.ts";
import { own, recordOf } from "../util/record.ts";
import { Rational } from "./rational.ts";

/** Bounds on polynomial sizes, shared by every operation. Change `maxTerms` to allow more. */
export const polyLimits = {
  /** Largest number of terms any intermediate or final polynomial may have. */
  maxTerms: 100_000,
};

/** A monomial: pairs [variable, exponent > 0], sorted by variable name. */
export type Monomial = ReadonlyArray<readonly [string, number]>;

/** One term of a polynomial: coefficient times monomial. */
export interface Term {
  readonly coef: Rational;
  readonly mono: Monomial;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function monoKey(m: Monomial): string {
  let s = "";
  for (const [v, e] of m) s += e === 1 ? `${v}*` : `${v}^${e}*`;
  return s;
}

function monoMul(a: Monomial, b: Monomial): Monomial {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: (readonly [string, number])[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x[0] === y[0]) {
      out.push([x[0], x[1] + y[1]]);
      i++;
      j++;
    } else if (x[0] < y[0]) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

function monoDegree(m: Monomial): number {
  let d = 0;
  for (const [, e] of m) d += e;
  return d;
}

function monoExponent(m: Monomial, v: string): number {
  for (const [w, e] of m) if (w === v) return e;
  return 0;
}

/** `a / b` if b divides a, else undefined. */
function monoDiv(a: Monomial, b: Monomial): Monomial | undefined {
  const out: (readonly [string, number])[] = [];
  let j = 0;
  for (const [v, e] of a) {
    const y = b[j];
    if (y && y[0] < v) return undefined;
    if (y && y[0] === v) {
      if (y[1] > e) return undefined;
      if (y[1] < e) out.push([v, e - y[1]]);
      j++;
    } else out.push([v, e]);
  }
  return j === b.length ? out : undefined;
}

/**
 * Lexicographic comparison of monomials (variables in alphabetical order), optionally graded
 * by total degree first. Positive when a > b.
 */
export function compareMonomials(a: Monomial, b: Monomial, graded: boolean): number {
  if (graded) {
    const d = monoDegree(a) - monoDegree(b);
    if (d !== 0) return d;
  }
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (!y || (x && x[0] < y[0])) return 1; // a has a variable b lacks, earlier in the order
    if (!x || y[0] < x[0]) return -1;
    if (x[1] !== y[1]) return x[1] - y[1];
    i++;
    j++;
  }
  return 0;
}

/** Accumulates terms by monomial, dropping zeros; checks the term bound and the active time budget. */
class TermBuilder {
  private readonly map = new Map<string, { coef: Rational; mono: Monomial }>();
  constructor(private readonly fn: string) {}
  add(coef: Rational, mono: Monomial): void {
    checkActiveBudget();
    if (coef.isZero()) return;
    const k = monoKey(mono);
    const t = this.map.get(k);
    if (t) {
      const c = t.coef.add(coef);
      if (c.isZero()) this.map.delete(k);
      else t.coef = c;
    } else {
      this.map.set(k, { coef, mono });
      if (this.map.size > polyLimits.maxTerms) {
        throw new BoundExceededError(
          this.fn,
          "polynomial term",
          polyLimits.maxTerms,
          `${this.map.size} terms`,
          "raise polyLimits.maxTerms or simplify the input",
        );
      }
    }
  }
  build(): Poly {
    return Poly.fromTermMap(this.map);
  }
}

export class Poly {
  private constructor(private readonly termMap: ReadonlyMap<string, Term>) {}

  /** @internal Used by the builder; callers use the static constructors. */
  static fromTermMap(map: ReadonlyMap<string, Term>): Poly {
    return new Poly(map);
  }

  static readonly ZERO = new Poly(new Map());
  static readonly ONE = Poly.constant(Rational.ONE);

  /** The constant polynomial c: a Rational, a bigint, or a float64 taken exactly (0.1 is dyadic). */
  static constant(c: Rational | number | bigint): Poly {
    const r = c instanceof Rational ? c : typeof c === "bigint" ? Rational.of(c) : Rational.fromNumber(c);
    return r.isZero() ? (Poly.ZERO ?? new Poly(new Map())) : new Poly(new Map([["", { coef: r, mono: [] }]]));
  }

  /** The polynomial consisting of one variable. */
  static variable(name: string): Poly {
    if (!IDENTIFIER.test(name)) {
      throw new InvalidArgumentError("Poly.variable", "name", "an identifier like w1 or lambda", name);
    }
    return new Poly(new Map([[`${name}*`, { coef: Rational.ONE, mono: [[name, 1]] }]]));
  }

  /** Sum of terms; monomials given as {variable: exponent}. */
  static fromTerms(terms: Iterable<{ coef: Rational; exponents: Record<string, number> }>): Poly {
    const b = new TermBuilder("Poly.fromTerms");
    for (const { coef, exponents } of terms) {
      const mono: [string, number][] = [];
      for (const [v, e] of Object.entries(exponents)) {
        if (!IDENTIFIER.test(v))
          throw new InvalidArgumentError("Poly.fromTerms", "variable", "an identifier", v);
        if (!Number.isInteger(e) || e < 0) {
          throw new InvalidArgumentError("Poly.fromTerms", `exponent of ${v}`, "a non-negative integer", e);
        }
        if (e > 0) mono.push([v, e]);
      }
      mono.sort((x, y) => (x[0] < y[0] ? -1 : 1));
      b.add(coef, mono);
    }
    return b.build();
  }

  /** sum_k coeffs[k] * v^k: the inverse of {@link Poly.coefficients}. */
  static fromCoefficients(v: string, coeffs: readonly Poly[]): Poly {
    let out = Poly.ZERO;
    const x = Poly.variable(v);
    for (let k = coeffs.length - 1; k >= 0; k--) out = out.mul(x).add(coeffs[k]!);
    return out;
  }

  /** Number of nonzero terms. */
  get size(): number {
    return this.termMap.size;
  }

  /** The terms, in decreasing graded lexicographic order (the printing order). */
  terms(): Term[] {
    return [...this.termMap.values()].sort((a, b) => compareMonomials(b.mono, a.mono, true));
  }

  isZero(): boolean {
    return this.termMap.size === 0;
  }

  /** The value if the polynomial is constant, else undefined. */
  constantValue(): Rational | undefined {
    if (this.termMap.size === 0) return Rational.ZERO;
    if (this.termMap.size === 1) {
      const t = this.termMap.get("");
      if (t) return t.coef;
    }
    return undefined;
  }

  isConstant(): boolean {
    return this.constantValue() !== undefined;
  }

  /** The variables that occur, sorted alphabetically. */
  variables(): string[] {
    const s = new Set<string>();
    for (const t of this.termMap.values()) for (const [v] of t.mono) s.add(v);
    return [...s].sort();
  }

  /** Degree in variable v (-Infinity for the zero polynomial, as usual). */
  degree(v: string): number {
    if (this.isZero()) return Number.NEGATIVE_INFINITY;
    let d = 0;
    for (const t of this.termMap.values()) d = Math.max(d, monoExponent(t.mono, v));
    return d;
  }

  /** Total degree (-Infinity for zero). */
  totalDegree(): number {
    if (this.isZero()) return Number.NEGATIVE_INFINITY;
    let d = 0;
    for (const t of this.termMap.values()) d = Math.max(d, monoDegree(t.mono));
    return d;
  }

  /**
   * Coefficients in variable v: `c[k]` is the coefficient of v^k (a Poly free of v), for
   * k = 0..degree(v). The zero polynomial gives [].
   */
  coefficients(v: string): Poly[] {
    if (this.isZero()) return [];
    const builders: TermBuilder[] = [];
    for (let k = 0; k <= this.degree(v); k++) builders.push(new TermBuilder("Poly.coefficients"));
    for (const t of this.termMap.values()) {
      const k = monoExponent(t.mono, v);
      builders[k]!.add(
        t.coef,
        t.mono.filter(([w]) => w !== v),
      );
    }
    return builders.map((b) => b.build());
  }

  /** Coefficient of the highest power of v. */
  leadingCoefficient(v: string): Poly {
    const c = this.coefficients(v);
    return c[c.length - 1] ?? Poly.ZERO;
  }

  add(o: Poly): Poly {
    if (o.isZero()) return this;
    if (this.isZero()) return o;
    const b = new TermBuilder("Poly.add");
    for (const t of this.termMap.values()) b.add(t.coef, t.mono);
    for (const t of o.termMap.values()) b.add(t.coef, t.mono);
    return b.build();
  }

  sub(o: Poly): Poly {
    return this.add(o.neg());
  }

  neg(): Poly {
    return this.scale(Rational.MINUS_ONE);
  }

  /** Multiplication by a rational constant. */
  scale(c: Rational | number): Poly {
    const r = c instanceof Rational ? c : Rational.fromNumber(c);
    if (r.isZero()) return Poly.ZERO;
    const m = new Map<string, Term>();
    for (const [k, t] of this.termMap) m.set(k, { coef: t.coef.mul(r), mono: t.mono });
    return new Poly(m);
  }

  mul(o: Poly): Poly {
    if (this.isZero() || o.isZero()) return Poly.ZERO;
    const b = new TermBuilder("Poly.mul");
    for (const s of this.termMap.values()) {
      for (const t of o.termMap.values()) b.add(s.coef.mul(t.coef), monoMul(s.mono, t.mono));
    }
    return b.build();
  }

  /**
   * this^k for an integer k >= 0, by repeated squaring (halving k arithmetically: k may exceed
   * 2^31). The degree k * totalDegree must stay an exact float64 integer.
   */
  pow(k: number): Poly {
    if (!Number.isSafeInteger(k) || k < 0)
      throw new InvalidArgumentError("Poly.pow", "k", "a non-negative integer (at most 2^53 - 1)", k);
    if (k > 1 && !this.isConstant() && !Number.isSafeInteger(k * this.totalDegree())) {
      throw new BoundExceededError(
        "Poly.pow",
        "degree",
        Number.MAX_SAFE_INTEGER,
        `${k} * ${this.totalDegree()}`,
      );
    }
    const c = this.constantValue();
    if (c) return Poly.constant(c.pow(k));
    // coefficients of p^k have at most k (bits + log2(size)) bits (multinomial growth)
    let bits = 0;
    for (const t of this.termMap.values()) bits = Math.max(bits, t.coef.abs().isOne() ? 0 : t.coef.bits());
    const estimate = k * (bits + Math.log2(this.size));
    if (estimate > Rational.MAX_BITS) {
      throw new BoundExceededError(
        "Poly.pow",
        "coefficient size (bits)",
        Rational.MAX_BITS,
        `about ${Math.round(estimate)} bits`,
      );
    }
    let result = Poly.ONE;
    let base: Poly = this;
    let e = k;
    while (e > 0) {
      if (e % 2 === 1) result = result.mul(base);
      e = Math.floor(e / 2);
      if (e > 0) base = base.mul(base);
    }
    return result;
  }

  /** Partial derivative with respect to v. */
  derivative(v: string): Poly {
    const b = new TermBuilder("Poly.derivative");
    for (const t of this.termMap.values()) {
      const e = monoExponent(t.mono, v);
      if (e === 0) continue;
      const mono = t.mono.flatMap(([w, f]): (readonly [string, number])[] =>
        w !== v ? [[w, f]] : f > 1 ? [[w, f - 1]] : [],
      );
      b.add(t.coef.mul(Rational.of(e)), mono);
    }
    return b.build();
  }

  /** Replaces variable v by the polynomial q (Horner in v, so powers of q are shared). */
  substitute(v: string, q: Poly): Poly {
    if (this.degree(v) <= 0) return this;
    const c = this.coefficients(v);
    let out = Poly.ZERO;
    for (let k = c.length - 1; k >= 0; k--) out = out.mul(q).add(c[k]!);
    return out;
  }

  /** Replaces several variables at once (simultaneously, not one after the other). */
  substituteAll(values: Readonly<Record<string, Poly>>): Poly {
    const names = Object.keys(values).filter((v) => this.degree(v) > 0);
    if (names.length === 0) return this;
    // Rename to fresh variables first so a replacement containing another replaced name is safe;
    // fresh means unused by this polynomial and by every replacement.
    let p: Poly = this;
    const used = new Set([...this.variables(), ...Object.values(values).flatMap((q) => q.variables())]);
    let prefix = "__subst";
    while ([...used].some((u) => u.startsWith(prefix))) prefix += "_";
    const fresh = names.map((_, i) => `${prefix}${i}`);
    names.forEach((v, i) => {
      p = p.substitute(v, Poly.variable(fresh[i]!));
    });
    names.forEach((v, i) => {
      p = p.substitute(fresh[i]!, values[v]!);
    });
    return p;
  }

  /**
   * Replaces variables by numbers, exactly: a float64 becomes the dyadic rational it is (use a
   * Rational for decimal meaning, e.g. Rational.parse("0.1")). Variables not given stay.
   */
  substituteValues(values: Readonly<Record<string, number | Rational>>): Poly {
    return this.substituteAll(recordOf(Object.entries(values).map(([v, x]) => [v, Poly.constant(x)])));
  }

  /** Value in exact arithmetic; every variable must be given. */
  evaluateExact(point: Readonly<Record<string, Rational>>): Rational {
    let sum = Rational.ZERO;
    for (const t of this.termMap.values()) {
      let x = t.coef;
      for (const [v, e] of t.mono) {
        const val = own(point, v);
        if (val === undefined) throw missingVariable("Poly.evaluateExact", v, point);
        x = x.mul(val.pow(e));
      }
      sum = sum.add(x);
    }
    return sum;
  }

  /** Value in float64; every variable must be given. */
  evaluate(point: Readonly<Record<string, number>>): number {
    let sum = 0;
    for (const t of this.termMap.values()) {
      let x = t.coef.toNumber();
      for (const [v, e] of t.mono) {
        const val = own(point, v);
        if (val === undefined) throw missingVariable("Poly.evaluate", v, point);
        x *= e === 1 ? val : val ** e;
      }
      sum += x;
    }
    return sum;
  }

  /**
   * A float64 evaluator over an ordered list of variables: `f(x)` with `x[i]` the value of
   * `variables[i]`. Throws if the polynomial has a variable not in the list.
   */
  compile(variables: readonly string[]): (x: ArrayLike<number>) => number {
    const index = new Map(variables.map((v, i) => [v, i]));
    const terms = [...this.termMap.values()].map((t) => ({
      c: t.coef.toNumber(),
      f: t.mono.map(([v, e]) => {
        const i = index.get(v);
        if (i === undefined) throw missingVariable("Poly.compile", v, Object.fromEntries(index));
        return [i, e] as const;
      }),
    }));
    return (x) => {
      let sum = 0;
      for (const t of terms) {
        let y = t.c;
        for (const [i, e] of t.f) y *= e === 1 ? x[i]! : x[i]! ** e;
        sum += y;
      }
      return sum;
    };
  }

  equals(o: Poly): boolean {
    if (this.termMap.size !== o.termMap.size) return false;
    for (const [k, t] of this.termMap) {
      const u = o.termMap.get(k);
      if (!u || !u.coef.equals(t.coef)) return false;
    }
    return true;
  }

  /** gcd of the coefficients (positive), with the sign of the leading term; zero for zero. */
  content(): Rational {
    let g = Rational.ZERO;
    for (const t of this.termMap.values()) g = Rational.gcd(g, t.coef);
    const lead = this.leadingTerm(true);
    return lead && lead.coef.sign() < 0 ? g.neg() : g;
  }

  /** this / content(): integer coefficients without common factor, positive leading term. */
  primitive(): Poly {
    return this.isZero() ? this : this.scale(this.content().inv());
  }

  /** this scaled so that its leading term (graded lex) has coefficient 1. */
  monic(): Poly {
    const lead = this.leadingTerm(true);
    return lead ? this.scale(lead.coef.inv()) : this;
  }

  /** Largest term in (graded or pure) lexicographic order, undefined for zero. */
  leadingTerm(graded: boolean): Term | undefined {
    let best: Term | undefined;
    for (const t of this.termMap.values())
      if (!best || compareMonomials(t.mono, best.mono, graded) > 0) best = t;
    return best;
  }

  /**
   * The exact quotient this / d when d divides this in Q[variables], else undefined.
   * Multivariate division in lex order: if d | this, the leading term of every remainder is
   * divisible by that of d, so the loop ends after at most size(this/d) steps.
   */
  exactQuotient(d: Poly): Poly | undefined {
    if (d.isZero()) throw new InvalidArgumentError("Poly.exactQuotient", "d", "a nonzero polynomial", "0");
    const dc = d.constantValue();
    if (dc !== undefined) return this.scale(dc.inv());
    const lead = d.leadingTerm(false)!;
    let r: Poly = this;
    const q = new TermBuilder("Poly.exactQuotient");
    const bound = polyLimits.maxTerms;
    for (let step = 0; !r.isZero(); step++) {
      if (step > bound) {
        throw new BoundExceededError("Poly.exactQuotient", "division step", bound, step);
      }
      const lt = r.leadingTerm(false)!;
      const m = monoDiv(lt.mono, lead.mono);
      if (!m) return undefined;
      const c = lt.coef.div(lead.coef);
      q.add(c, m);
      r = r.sub(d.mulTerm(c, m));
    }
    return q.build();
  }

  /** this * c * mono. */
  mulTerm(c: Rational, mono: Monomial): Poly {
    const b = new TermBuilder("Poly.mulTerm");
    for (const t of this.termMap.values()) b.add(t.coef.mul(c), monoMul(t.mono, mono));
    return b.build();
  }

  /** The rule-language text: terms in decreasing graded lex order, e.g. `w1^2 - 1/2*s + 3`. */
  toString(): string {
    if (this.isZero()) return "0";
    let s = "";
    for (const t of this.terms()) {
      const neg = t.coef.sign() < 0;
      const a = t.coef.abs();
      const monoText = t.mono.map(([v, e]) => (e === 1 ? v : `${v}^${e}`)).join("*");
      const body = monoText === "" ? a.toString() : a.isOne() ? monoText : `${a}*${monoText}`;
      s += s === "" ? (neg ? `-${body}` : body) : neg ? ` - ${body}` : ` + ${body}`;
    }
    return s;
  }
}

function missingVariable(fn: string, v: string, given: object): InvalidArgumentError {
  return new InvalidArgumentError(
    fn,
    "point",
    `a value for every variable (missing "${v}")`,
    Object.keys(given).join(", ") || "no variables",
  );
}

/**
 * The population field of a linear network rule as matrix polynomials in its tensors
 * (matrix-words.ts): each update `d/dt W = …` with the averages over samples replaced by their
 * expectations over the Gaussian input x ~ N(0, σ²I), symbolically, as src/ir/expectation.ts does
 * numerically. A per-sample value is carried as d + (linear in x) with the expectation of its
 * quadratic part:
 *
 *   a column C x (r × 1), or a row (C x)' (1 × c); a 1 × 1 value C x is a column;
 *   E[(C₁x)(C₂x)'] = σ² C₁C₂',  E[(C₁x)(E x)] = σ² C₁E'  (E x a scalar),
 *
 * so mean(...) of a value of degree ≤ 2 in x is d + σ²(…), and mean of a linear part is 0.
 *
 * Derived for φ linear only (phi(a) = a, phi'(a) = the all-ones of a's shape, the identity of .*):
 * other activations make the averages Gaussian integrals of φ' that are not polynomials in the
 * weights. Refused, as a RuleError at the line and column of the expression: a nonlinear φ, a
 * product of degree > 2 in x, a per-sample matrix that is linear in x with more than one row and
 * column, a trace (row times column of per-sample vectors of length > 1), diag of anything but a
 * random vector, sum, division by anything but a number, powers, broadcasting.
 */

import { evaluateScalar } from "../../ir/bind.ts";
import type { MExpr, NetworkRuleSpec, TensorDecl } from "../../rules/network/spec.ts";
import { RuleError } from "../../rules/rule-error.ts";
import {
  type Alphabet,
  add,
  constant,
  type Dim,
  isZero,
  type LetterInfo,
  letter,
  type MatrixPolynomial,
  multiply,
  negate,
  scale,
  transpose,
  zero,
} from "./matrix-words.ts";

/** A per-sample value d + (linear part) + (expectation of the quadratic part), or a value without samples (lin, quad null). */
interface Value {
  readonly rows: Dim;
  readonly cols: Dim;
  readonly det: MatrixPolynomial | null;
  /** "col": C x (C is rows × input); "row": (C x)' (C is cols × input). */
  readonly lin: { readonly form: "col" | "row"; readonly C: MatrixPolynomial } | null;
  /** The expectation of the quadratic part. */
  readonly quad: MatrixPolynomial | null;
  /** phi'(a) of a linear φ: the all-ones, a no-op under .* */
  readonly ones?: boolean;
}

export interface PopulationWords {
  /** The letters: states, teachers, fixed random tensors, and diag(s) of random vectors as `s`. */
  readonly alphabet: Alphabet;
  /** Each state's field F (its update with means taken), a polynomial in the letters. */
  readonly field: ReadonlyMap<string, MatrixPolynomial>;
  /** The per-sample 1 × 1 definitions linear in x: name -> C (1 × input), the value being C x. */
  readonly scalarsLinearInInput: ReadonlyMap<string, MatrixPolynomial>;
  /** The input's size name and variance σ². */
  readonly input: { readonly name: string; readonly dim: Dim; readonly variance: number };
  /** Random vectors used as diagonals (diag(s)): name -> the vector's declaration. */
  readonly diagonals: ReadonlyMap<string, TensorDecl>;
}

const dimOf = (d: string | number, at: { line: number; column: number }, file: string): Dim => {
  if (d === 1 || typeof d === "string") return d as Dim;
  throw new RuleError(
    `a fixed dimension of ${d}: the large-network law needs every dimension a size name or 1`,
    at.line,
    at.column,
    file,
  );
};

/**
 * The population field of `rule` with its choices `choices` (φ must resolve to linear) and its
 * sizes and parameters `env` (for the input's variance).
 */
export function populationWords(
  rule: NetworkRuleSpec,
  choices: Readonly<Record<string, string>>,
  env: Readonly<Record<string, number>>,
): PopulationWords {
  const file = rule.file;
  const fail = (reason: string, at: { line: number; column: number }): never => {
    throw new RuleError(reason, at.line, at.column, file);
  };
  if (rule.kind !== "flow")
    fail(
      "the rule is a map: the teacher-point law is derived for flows (d/dt)",
      rule.updates[0]?.at ?? { line: 1, column: 1 },
    );
  if (rule.inputs.length !== 1)
    fail(
      `the law is derived for one Gaussian input, the rule has ${rule.inputs.length}`,
      rule.inputs[1]?.at ?? { line: 1, column: 1 },
    );
  const x = rule.inputs[0]!;
  if (x.shape[1] !== 1) fail(`input ${x.name} must be a column vector`, x.at);
  const inputDim = dimOf(x.shape[0], x.at, file);
  const law = choices[x.law.law] ?? x.law.law;
  if (law !== "normal" || x.law.args.mean !== undefined)
    fail(`input ${x.name} must be drawn from a centered normal law`, x.law.at);
  const sd = x.law.args.sd;
  const variance = sd
    ? evaluateScalar(sd, env, file, `the sd of ${x.name}`) ** 2
    : evaluateScalar(x.law.args.variance!, env, file, `the variance of ${x.name}`);

  const alphabet = new Map<string, LetterInfo>();
  const diagonals = new Map<string, TensorDecl>();
  for (const d of [...rule.states, ...rule.fixed])
    alphabet.set(d.name, {
      rows: dimOf(d.shape[0], d.at, file),
      cols: dimOf(d.shape[1], d.at, file),
      symmetric: false,
    });
  const params = new Set(rule.params.map((p) => p.name));
  const sizes = new Set(rule.sizes.map((s) => s.name));
  const functionChoices = new Map(
    rule.choices.filter((c) => c.of === "function").map((c) => [c.name, choices[c.name]!]),
  );

  const detValue = (p: MatrixPolynomial): Value => ({
    rows: p.rows,
    cols: p.cols,
    det: p,
    lin: null,
    quad: null,
  });
  const isScalarShape = (v: { rows: Dim; cols: Dim }) => v.rows === 1 && v.cols === 1;
  const addMaybe = (a: MatrixPolynomial | null, b: MatrixPolynomial | null) =>
    a && b ? add(a, b) : (a ?? b);
  const T = (p: MatrixPolynomial) => transpose(p, alphabet);

  const definitions = new Map<string, Value>();
  const defExpr = new Map([...rule.targets, ...rule.definitions].map((d) => [d.name, d.expr]));
  const evaluating = new Set<string>();

  function lookup(name: string, at: MExpr["at"]): Value {
    if (name === x.name)
      return {
        rows: inputDim,
        cols: 1,
        det: null,
        lin: { form: "col", C: constant(inputDim, 1) },
        quad: null,
      };
    if (alphabet.has(name)) return detValue(letter(name, alphabet));
    if (params.has(name)) return detValue(constant(1, 1, [name]));
    if (sizes.has(name))
      return fail(`size ${name} used as a value: its large-network limit is not a finite coefficient`, at);
    const known = definitions.get(name);
    if (known) return known;
    const expr = defExpr.get(name);
    if (!expr || evaluating.has(name))
      return fail(`"${name}" is not a tensor, parameter or definition here`, at);
    evaluating.add(name);
    const v = evaluate(expr);
    evaluating.delete(name);
    definitions.set(name, v);
    return v;
  }

  /** v times the number c. */
  function scaleValue(v: Value, c: number): Value {
    const by = (p: MatrixPolynomial | null) => (p ? scale(p, c) : null);
    return {
      ...v,
      det: by(v.det),
      lin: v.lin ? { form: v.lin.form, C: scale(v.lin.C, c) } : null,
      quad: by(v.quad),
    };
  }

  /**
   * A deterministic 1 × 1 polynomial s times any polynomial p: a product where p is a row or a
   * column (the 1 × 1 word joins it), a scaling where s has no letters; a 1 × 1 word times a
   * matrix has no place in a word and is refused.
   */
  function scalarTimes(s: MatrixPolynomial, p: MatrixPolynomial, at: MExpr["at"]): MatrixPolynomial {
    if (p.rows === 1) return multiply(s, p);
    if (p.cols === 1) return multiply(p, s);
    if (s.terms.every((t) => t.word.length === 0))
      return s.terms.reduce((acc, t) => add(acc, scale(p, t.coefficient, t.params)), zero(p.rows, p.cols));
    return fail("a 1 × 1 product of tensors times a matrix: write the scalar next to a vector", at);
  }

  function product(a: Value, b: Value, at: MExpr["at"]): Value {
    if (a.ones || b.ones) fail("phi'(a) used in a matrix product: write it with .*", at);
    const aScalar = isScalarShape(a) && !isScalarShape(b) && a.cols !== b.rows;
    const bScalar = isScalarShape(b) && !isScalarShape(a) && a.cols !== b.rows;
    if (!aScalar && !bScalar && a.cols !== b.rows)
      fail(`a product of ${a.rows}×${a.cols} and ${b.rows}×${b.cols}`, at);
    const rows = aScalar ? b.rows : a.rows;
    const cols = bScalar ? a.cols : b.cols;
    let det: MatrixPolynomial | null = null;
    let lin: Value["lin"] = null;
    let quad: MatrixPolynomial | null = null;
    const addLin = (l: NonNullable<Value["lin"]>) => {
      if (lin && lin.form !== l.form) fail("a sum of a row and a column linear in the input", at);
      lin = lin ? { form: l.form, C: add(lin.C, l.C) } : l;
    };
    // deterministic × deterministic
    if (a.det && b.det) det = matmulOrScale(a.det, b.det, aScalar, bScalar, at);
    // quadratic (its expectation) × deterministic
    if (a.quad && b.det) quad = addMaybe(quad, matmulOrScale(a.quad, b.det, aScalar, bScalar, at));
    if (a.det && b.quad) quad = addMaybe(quad, matmulOrScale(a.det, b.quad, aScalar, bScalar, at));
    if ((a.quad && b.lin) || (a.lin && b.quad)) fail("a product of degree 3 in the input", at);
    // deterministic × linear
    if (a.det && b.lin) addLin(detTimesLinear(a.det, b.lin, aScalar, at));
    if (a.lin && b.det) {
      if (aScalar)
        fail("a per-sample scalar linear in the input times a matrix (a matrix linear in the input)", at);
      addLin(linearTimesDet(a.lin, b.det, bScalar, a, at));
    }
    // linear × linear: its expectation
    if (a.lin && b.lin) quad = addMaybe(quad, expectationOfProduct(a.lin, b.lin, a, b, at));
    return { rows, cols, det, lin, quad };
  }

  function matmulOrScale(
    p: MatrixPolynomial,
    q: MatrixPolynomial,
    pScalar: boolean,
    qScalar: boolean,
    at: MExpr["at"],
  ) {
    if (pScalar) return scalarTimes(p, q, at);
    if (qScalar) return scalarTimes(q, p, at);
    return multiply(p, q);
  }
  function detTimesLinear(
    p: MatrixPolynomial,
    l: NonNullable<Value["lin"]>,
    pScalar: boolean,
    at: MExpr["at"],
  ) {
    if (pScalar) return { form: l.form, C: scalarTimes(p, l.C, at) };
    if (l.form === "col") {
      // P (C x) = (P C) x; a 1 × 1 linear value is a column.
      return { form: "col" as const, C: multiply(p, l.C) };
    }
    // P (C x)' with P r × 1: a matrix linear in x unless r = 1.
    if (p.rows !== 1) return fail("a per-sample matrix linear in the input (a column times a row of it)", at);
    return { form: "row" as const, C: scalarTimes(p, l.C, at) };
  }

  function linearTimesDet(
    l: NonNullable<Value["lin"]>,
    p: MatrixPolynomial,
    pScalar: boolean,
    a: Value,
    at: MExpr["at"],
  ) {
    if (pScalar) return { form: l.form, C: scalarTimes(p, l.C, at) };
    if (l.form === "row") return { form: "row" as const, C: multiply(T(p), l.C) }; // (Cx)' P = (P'C x)'
    if (isScalarShape(a)) return { form: "row" as const, C: multiply(T(p), l.C) }; // (E x) P = (P' E x)'
    return fail("a per-sample matrix linear in the input (a column of it times a row)", at);
  }

  function expectationOfProduct(
    l1: NonNullable<Value["lin"]>,
    l2: NonNullable<Value["lin"]>,
    a: Value,
    b: Value,
    at: MExpr["at"],
  ) {
    const s = (p: MatrixPolynomial) => scale(p, variance);
    if (l1.form === "col" && l2.form === "row") return s(multiply(l1.C, T(l2.C))); // (C1x)(C2x)'
    if (isScalarShape(a) && l2.form === "col") return s(multiply(l2.C, T(l1.C))); // (E x)(C x) = C x x'E'
    if (isScalarShape(b) && l1.form === "col") return s(multiply(l1.C, T(l2.C))); // (C x)(E x)
    if (isScalarShape(a) && l2.form === "row") return s(multiply(l1.C, T(l2.C))); // (E x)(C x)'
    return fail("a trace of per-sample vectors (a row times a column of length > 1)", at);
  }

  function sum(a: Value, b: Value, sign: 1 | -1, at: MExpr["at"]): Value {
    if (a.ones || b.ones) fail("phi'(a) in a sum", at);
    if (a.rows !== b.rows || a.cols !== b.cols)
      fail(`a sum of ${a.rows}×${a.cols} and ${b.rows}×${b.cols} (broadcasting is not derived)`, at);
    const n = (p: MatrixPolynomial | null) => (p && sign < 0 ? negate(p) : p);
    let lin = a.lin;
    if (b.lin) {
      const bl = { form: b.lin.form, C: n(b.lin.C)! };
      if (lin && lin.form !== bl.form) fail("a sum of a row and a column linear in the input", at);
      lin = lin ? { form: lin.form, C: add(lin.C, bl.C) } : bl;
    }
    return {
      rows: a.rows,
      cols: a.cols,
      det: addMaybe(a.det, n(b.det)),
      lin,
      quad: addMaybe(a.quad, n(b.quad)),
    };
  }

  function transposeValue(v: Value): Value {
    const lin = v.lin
      ? isScalarShape(v)
        ? v.lin
        : { form: v.lin.form === "col" ? ("row" as const) : ("col" as const), C: v.lin.C }
      : null;
    return {
      rows: v.cols,
      cols: v.rows,
      det: v.det && T(v.det),
      lin,
      quad: v.quad && T(v.quad),
      ones: v.ones,
    };
  }

  function evaluate(e: MExpr): Value {
    switch (e.kind) {
      case "num":
        return detValue(constant(1, e.value));
      case "name":
        return lookup(e.name, e.at);
      case "product":
        return product(evaluate(e.left), evaluate(e.right), e.at);
      case "add":
        return sum(evaluate(e.left), evaluate(e.right), 1, e.at);
      case "subtract":
        return sum(evaluate(e.left), evaluate(e.right), -1, e.at);
      case "negate": {
        return scaleValue(evaluate(e.arg), -1);
      }
      case "transpose":
        return transposeValue(evaluate(e.arg));
      case "hadamard": {
        const [a, b] = [evaluate(e.left), evaluate(e.right)];
        if (b.ones && a.rows === b.rows && a.cols === b.cols) return a;
        if (a.ones && a.rows === b.rows && a.cols === b.cols) return b;
        return fail(
          "an elementwise product of two tensors (only .* phi'(a) with a linear phi is derived)",
          e.at,
        );
      }
      case "divide": {
        const d = e.right.kind === "num" ? e.right.value : null;
        if (d === null || d === 0) return fail("a division by anything but a nonzero number", e.at);
        return scaleValue(evaluate(e.left), 1 / d);
      }
      case "elementDivide":
        return fail("an elementwise division", e.at);
      case "power":
        return fail("a power (the law is derived for products of tensors)", e.at);
      case "call":
        return call(e);
    }
  }

  function call(e: Extract<MExpr, { kind: "call" }>): Value {
    const fn = functionChoices.get(e.fn) ?? e.fn;
    if (e.fn === "mean") {
      const v = evaluate(e.args[0]!);
      const mean = addMaybe(v.det, v.quad);
      return detValue(mean ?? zero(v.rows, v.cols));
    }
    if (e.fn === "diag") {
      const arg = e.args[0]!;
      const decl =
        arg.kind === "name" ? rule.fixed.find((d) => d.name === arg.name && d.role === "random") : undefined;
      if (!decl || (decl.shape[0] !== 1 && decl.shape[1] !== 1))
        return fail(
          "diag of anything but a random vector declared with `random` (its law gives the diagonal's)",
          e.at,
        );
      const n = dimOf(decl.shape[0] === 1 ? decl.shape[1] : decl.shape[0], decl.at, file);
      const name = decl.name;
      alphabet.set(name, { rows: n, cols: n, symmetric: true });
      diagonals.set(name, decl);
      return detValue(letter(name, alphabet));
    }
    if (e.fn === "sum") return fail("sum(...) (a trace is not a product of tensors)", e.at);
    if (fn === "linear") {
      const v = evaluate(e.args[0]!);
      return e.derivative ? { rows: v.rows, cols: v.cols, det: null, lin: null, quad: null, ones: true } : v;
    }
    return fail(
      `${e.fn}${e.derivative ? "'" : ""} is ${fn}: the teacher-point law is derived for a linear φ (a nonlinear one averages φ' over Gaussian fields, which is not a polynomial in the weights)`,
      e.at,
    );
  }

  const field = new Map<string, MatrixPolynomial>();
  for (const u of rule.updates) {
    const v = evaluate(u.expr);
    if (v.lin && !isZero(v.lin.C))
      fail(`the update of ${u.state} varies over samples outside mean(...)`, u.at);
    const state = alphabet.get(u.state)!;
    const F = addMaybe(v.det, v.quad) ?? zero(state.rows, state.cols);
    if (F.rows !== state.rows || F.cols !== state.cols)
      fail(`the update of ${u.state} is ${F.rows}×${F.cols}, the state ${state.rows}×${state.cols}`, u.at);
    field.set(u.state, F);
  }
  const scalarsLinearInInput = new Map<string, MatrixPolynomial>();
  for (const d of rule.definitions) {
    const v = lookup(d.name, d.at);
    if (isScalarShape(v) && v.lin && !v.quad && (!v.det || isZero(v.det)))
      scalarsLinearInInput.set(d.name, v.lin.C);
  }
  return {
    alphabet,
    field,
    scalarsLinearInInput,
    input: { name: x.name, dim: inputDim, variance },
    diagonals,
  };
}

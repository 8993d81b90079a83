/**
 * Expectations over Gaussian inputs in closed form: a program whose averages over samples are
 * of polynomials of degree <= 2 in inputs x_k ~ N(0, s_k^2 I) (independent) becomes a program
 * without data, whose averages are the population expectations (the population field of a linear
 * network, seed 001 eq. 6, from the rule file of eq. 5).
 *
 * Every per-sample value v is carried as c + sum_k C_k x_k + q: a deterministic part c, linear
 * parts with coefficient matrices C_k (for a column vector v of length L, C_k is L x m_k and the
 * part is C_k x_k; for a row vector, v' has that form; a scalar is a vector of length 1), and q,
 * the expectation of its quadratic part. Products use E[x_k x_k'] = s_k^2 I and E[x_k x_l'] = 0
 * (k != l): E[(A x)(B x)'] = s^2 A B', E[(A x) .* (B x)] = s^2 rowsum(A .* B). An average
 * (sampleSum / count) becomes count (c + q) / count. The cost of the result is that of matrix
 * products of the coefficients: for seed 001's rule, O(N M) per field evaluation, against
 * O(P N M) over a training set of P samples.
 *
 * Refused (InvalidArgumentError naming the node): a per-sample value that is a matrix with a
 * linear part, a product of degree > 2, a nonlinear function of an input, a division by a
 * per-sample value. Targets are read through their expressions of the inputs (inlineTargets).
 */
import { InvalidArgumentError } from "../util/errors.ts";
import { extract, Graph } from "./lower.ts";
import type { IrNode, IrProgram, IrType } from "./program.ts";

/** A deterministic tensor the transformed program needs beyond the rule's fixed tensors. */
export type ExtraTensor =
  | { readonly kind: "identity"; readonly n: number }
  | { readonly kind: "ones"; readonly n: number };

export interface ExpectationProgram {
  /** The program without data (samples "none"); its fixed leaves index [...rule fixed, ...extras]. */
  readonly program: IrProgram;
  /** Tensors to append to the rule's fixed tensors, in order. */
  readonly extras: readonly ExtraTensor[];
}

/** The values of the extra tensors. */
export function extraTensor(e: ExtraTensor): Float64Array {
  const out = new Float64Array(e.kind === "identity" ? e.n * e.n : e.n);
  if (e.kind === "ones") out.fill(1);
  else for (let i = 0; i < e.n; i++) out[i * e.n + i] = 1;
  return out;
}

/** A per-sample value c + sum_k C_k x_k + q (null parts are zero). */
interface Poly {
  readonly c: number | null;
  /** Coefficient per input (index of the input among the rule's data); absent inputs are zero. */
  readonly lin: ReadonlyMap<number, number>;
  readonly q: number | null;
}

/** How one input enters: its dimension and variance. */
export interface GaussianInput {
  readonly dimension: number;
  readonly variance: number;
}

export function expectationProgram(
  program: IrProgram,
  options: {
    /** The rule's fixed tensors (count), so extras are indexed after them. */
    readonly fixedCount: number;
    /** Inputs (data 0..inputs.length-1 of the program). */
    readonly inputs: readonly GaussianInput[];
  },
): ExpectationProgram {
  const fn = "expectationProgram";
  const g = new Graph();
  const extras: ExtraTensor[] = [];
  const extra = (e: ExtraTensor, type: IrType) => {
    let k = extras.findIndex((x) => x.kind === e.kind && x.n === e.n);
    if (k < 0) k = extras.push(e) - 1;
    return g.add({ op: "fixed", index: options.fixedCount + k }, type);
  };
  const identities = new Set<number>();
  const identity = (n: number) => {
    const id = extra({ kind: "identity", n }, { rows: n, cols: n, perSample: false });
    identities.add(id);
    return id;
  };
  // Products with an identity coefficient (an input's own) are the other factor: no O(m^2) work.
  const matmul = (a: number, b: number) => (identities.has(b) ? a : identities.has(a) ? b : g.matmul(a, b));
  const transpose = (a: number) => (identities.has(a) ? a : g.transpose(a));
  const times = (c: number, x: number) => (g.constantValue(c) === 1 ? x : g.binary("mul", c, x));
  const onesColumn = (n: number) => extra({ kind: "ones", n }, { rows: n, cols: 1, perSample: false });
  const det: (number | null)[] = []; // node of a deterministic value
  const expectation: number[] = []; // for a sampleSum: the expectation of one summand
  const poly: (Poly | null)[] = []; // parts of a per-sample value
  const refusal = (i: number, why: string) =>
    new InvalidArgumentError(
      fn,
      `node %${i}`,
      "an average of a polynomial of degree <= 2 in Gaussian inputs",
      program.nodes[i]!.op,
      why,
    );
  const refuse = (i: number, why: string): never => {
    throw refusal(i, why);
  };
  const orientation = (t: IrType) => (t.cols === 1 ? "col" : t.rows === 1 ? "row" : "matrix");
  /** x widened to `type` (a 1 x 1 part standing for a constant matrix) by a product with ones. */
  const fitTo = (x: number, type: IrType) => {
    const tx = g.type(x);
    if (tx.rows === type.rows && tx.cols === type.cols) return x;
    const ones = g.matmul(onesColumn(type.rows), g.transpose(onesColumn(type.cols)));
    return g.binary("mul", x, ones);
  };

  const add = (a: number | null, b: number | null) =>
    a === null ? b : b === null ? a : g.binary("add", a, b);
  const sub = (a: number | null, b: number | null) =>
    b === null ? a : a === null ? g.unary("negate", b) : g.binary("sub", a, b);
  const mapLin = (lin: ReadonlyMap<number, number>, f: (n: number) => number) =>
    new Map([...lin].map(([k, v]) => [k, f(v)]));
  const addLin = (a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>, sign = 1) => {
    const out = new Map(a);
    for (const [k, v] of b) {
      const w = sign > 0 ? v : g.unary("negate", v);
      out.set(k, out.has(k) ? g.binary("add", out.get(k)!, w) : w);
    }
    return out;
  };
  const asPoly = (i: number): Poly => poly[i] ?? { c: det[i]!, lin: new Map(), q: null };

  /**
   * The coefficient of d .* p (deterministic d, per-sample vector p with coefficient C) when the
   * product has type `result`: d as a column scales the rows of C.
   */
  const scaleCoefficient = (d: number, C: number, result: IrType, i: number) => {
    const dType = g.type(d);
    if (dType.rows === 1 && dType.cols === 1) return times(d, C);
    if (orientation(result) === "matrix") refuse(i, "a matrix linear in the inputs");
    return g.binary("mul", orientation(dType) === "row" ? g.transpose(d) : d, C);
  };

  /** E[(A x)(B x)'] for coefficients A (La x m), B (Lb x m) of one input: s^2 A B'. */
  const outer = (A: number, B: number, k: number) =>
    times(g.constant(options.inputs[k]!.variance), matmul(A, transpose(B)));
  /** E[(A x) .* (B x)] for equal lengths: s^2 rowsum(A .* B), a column. */
  const elementwise = (A: number, B: number, k: number) =>
    times(
      g.constant(options.inputs[k]!.variance),
      g.matmul(g.binary("mul", A, B), onesColumn(options.inputs[k]!.dimension)),
    );

  /** The expectation of node i, in program order (refuses what is not degree <= 2 in the inputs). */
  const expectNode = (n: IrNode, i: number): void => {
    const t = n.type;
    if (!t.perSample) {
      // Deterministic: copy, except averages over samples.
      switch (n.op) {
        case "sampleSum": {
          const p = asPoly(n.a);
          expectation[i] = fitTo(add(p.c, p.q) ?? g.constant(0), t);
          det[i] = g.binary("mul", g.constant(program.sampleCount), expectation[i]!);
          return;
        }
        case "state":
        case "fixed":
        case "param":
        case "constant":
          det[i] = g.add(n, t);
          return;
        case "data":
          throw refusal(i, "data without a sample axis");
        case "matmul":
          det[i] = g.matmul(det[n.a]!, det[n.b]!);
          return;
        case "binary": {
          const a = program.nodes[n.a]!;
          const b = program.nodes[n.b]!;
          if (
            n.fn === "div" &&
            a.op === "sampleSum" &&
            b.op === "constant" &&
            b.value === program.sampleCount
          ) {
            det[i] = expectation[n.a]!; // the average is the expectation itself
            return;
          }
          det[i] = g.binary(n.fn, det[n.a]!, det[n.b]!);
          return;
        }
        case "unary":
          det[i] = g.unary(n.fn, det[n.a]!, n.exponent);
          return;
        case "transpose":
          det[i] = g.transpose(det[n.a]!);
          return;
        default:
          det[i] = g.add({ ...n, a: det[(n as { a: number }).a]! } as IrNode, t);
          return;
      }
    }
    const o = orientation(t);
    switch (n.op) {
      case "data": {
        if (n.index < options.inputs.length) {
          if (o !== "col") refuse(i, "an input that is not a column vector");
          poly[i] = {
            c: null,
            lin: new Map([[n.index, identity(options.inputs[n.index]!.dimension)]]),
            q: null,
          };
          return;
        }
        throw refusal(i, "target data (inline the targets first: inlineTargets)");
      }
      case "transpose": {
        const p = asPoly(n.a);
        poly[i] = {
          c: p.c === null ? null : g.transpose(p.c),
          lin: p.lin,
          q: p.q === null ? null : g.transpose(p.q),
        };
        return;
      }
      case "binary": {
        const aPer = program.nodes[n.a]!.type.perSample;
        const bPer = program.nodes[n.b]!.type.perSample;
        if (n.fn === "add" || n.fn === "sub") {
          const a = asPoly(n.a);
          const b = asPoly(n.b);
          poly[i] = {
            c: n.fn === "add" ? add(a.c, b.c) : sub(a.c, b.c),
            lin: addLin(a.lin, b.lin, n.fn === "add" ? 1 : -1),
            q: n.fn === "add" ? add(a.q, b.q) : sub(a.q, b.q),
          };
          return;
        }
        if (n.fn === "div") {
          if (bPer) refuse(i, "a division by a value that varies over samples");
          const d = det[n.b]!;
          const a = asPoly(n.a);
          poly[i] = {
            c: a.c === null ? null : g.binary("div", a.c, d),
            lin: mapLin(a.lin, (C) => g.binary("div", C, d)),
            q: a.q === null ? null : g.binary("div", a.q, d),
          };
          return;
        }
        // mul
        if (!aPer || !bPer) {
          const [d, p] = aPer ? [det[n.b]!, asPoly(n.a)] : [det[n.a]!, asPoly(n.b)];
          poly[i] = {
            c: p.c === null ? null : g.binary("mul", d, p.c),
            lin: mapLin(p.lin, (C) => scaleCoefficient(d, C, t, i)),
            q: p.q === null ? null : g.binary("mul", d, p.q),
          };
          return;
        }
        const a = asPoly(n.a);
        const b = asPoly(n.b);
        if ((a.q !== null && (b.lin.size > 0 || b.q !== null)) || (b.q !== null && a.lin.size > 0)) {
          refuse(i, "a product of degree > 2 in the inputs");
        }
        const ta = program.nodes[n.a]!.type;
        const tb = program.nodes[n.b]!.type;
        // Degree 0 x anything and anything x degree 0, then the degree-2 expectation.
        const cPart = a.c !== null && b.c !== null ? g.binary("mul", a.c, b.c) : null;
        let lin = new Map<number, number>();
        if (a.c !== null)
          lin = addLin(
            lin,
            mapLin(b.lin, (C) => scaleCoefficient(a.c!, C, t, i)),
          );
        if (b.c !== null)
          lin = addLin(
            lin,
            mapLin(a.lin, (C) => scaleCoefficient(b.c!, C, t, i)),
          );
        let q: number | null = null;
        if (a.q !== null && b.c !== null) q = add(q, g.binary("mul", a.q, b.c));
        if (b.q !== null && a.c !== null) q = add(q, g.binary("mul", a.c, b.q));
        const oa = ta.rows === 1 && ta.cols === 1 ? "scalar" : orientation(ta);
        const ob = tb.rows === 1 && tb.cols === 1 ? "scalar" : orientation(tb);
        for (const [k, A] of a.lin) {
          const B = b.lin.get(k);
          if (B === undefined) continue; // independent inputs: E[x_k x_l'] = 0
          // (A x) and (B x) are the entries of a and b as columns; E[(A x)(B x)'] = s^2 A B'.
          let e: number;
          if (oa === "matrix" || ob === "matrix") throw refusal(i, "a product of per-sample matrices");
          if (oa === ob && oa !== "scalar")
            e = oa === "col" ? elementwise(A, B, k) : g.transpose(elementwise(A, B, k));
          else if (oa === "scalar" && ob === "scalar") e = outer(A, B, k);
          else if (ob === "scalar") e = oa === "col" ? outer(A, B, k) : g.transpose(outer(A, B, k));
          else if (oa === "scalar") e = ob === "col" ? outer(B, A, k) : g.transpose(outer(B, A, k));
          else if (oa === "col")
            e = outer(A, B, k); // column times row: [La, Lb]
          else e = outer(B, A, k); // row times column: entry (l, k) = b_l a_k
          q = add(q, e);
        }
        poly[i] = { c: cPart, lin, q };
        return;
      }
      case "matmul": {
        const aPer = program.nodes[n.a]!.type.perSample;
        const bPer = program.nodes[n.b]!.type.perSample;
        if (!aPer) {
          const A = det[n.a]!;
          const p = asPoly(n.b);
          if (p.lin.size > 0 && o !== "col") refuse(i, "a matrix linear in the inputs");
          poly[i] = {
            c: p.c === null ? null : g.matmul(A, p.c),
            lin: mapLin(p.lin, (C) => matmul(A, C)),
            q: p.q === null ? null : g.matmul(A, p.q),
          };
          return;
        }
        if (!bPer) {
          const B = det[n.b]!;
          const p = asPoly(n.a);
          if (p.lin.size > 0 && o !== "row" && !(t.rows === 1 && t.cols === 1))
            refuse(i, "a matrix linear in the inputs");
          poly[i] = {
            c: p.c === null ? null : g.matmul(p.c, B),
            lin: mapLin(p.lin, (C) => matmul(g.transpose(B), C)),
            q: p.q === null ? null : g.matmul(p.q, B),
          };
          return;
        }
        // Row times column (a dot product) of two per-sample vectors.
        if (!(t.rows === 1 && t.cols === 1)) refuse(i, "a product of per-sample matrices");
        const a = asPoly(n.a);
        const b = asPoly(n.b);
        if (a.q !== null || b.q !== null) refuse(i, "a product of degree > 2 in the inputs");
        let q: number | null = null;
        for (const [k, A] of a.lin) {
          const B = b.lin.get(k);
          if (B !== undefined)
            q = add(
              q,
              g.binary(
                "mul",
                g.constant(options.inputs[k]!.variance),
                g.add({ op: "sum", a: g.binary("mul", A, B) }, { rows: 1, cols: 1, perSample: false }),
              ),
            );
        }
        let lin = new Map<number, number>();
        if (a.c !== null)
          lin = addLin(
            lin,
            mapLin(b.lin, (C) => matmul(a.c!, C)),
          );
        if (b.c !== null)
          lin = addLin(
            lin,
            mapLin(a.lin, (C) => matmul(g.transpose(b.c!), C)),
          );
        poly[i] = { c: a.c !== null && b.c !== null ? g.matmul(a.c, b.c) : null, lin, q };
        return;
      }
      case "unary": {
        const p = asPoly(n.a);
        const polynomial = p.lin.size > 0 || p.q !== null;
        if (n.fn === "negate") {
          poly[i] = {
            c: p.c === null ? null : g.unary("negate", p.c),
            lin: mapLin(p.lin, (C) => g.unary("negate", C)),
            q: p.q === null ? null : g.unary("negate", p.q),
          };
          return;
        }
        if (n.fn === "linear") {
          poly[i] = p;
          return;
        }
        if (n.fn === "linear'") {
          poly[i] = { c: g.constant(1), lin: new Map(), q: null };
          return;
        }
        if (!polynomial) {
          poly[i] = { c: p.c === null ? null : g.unary(n.fn, p.c, n.exponent), lin: new Map(), q: null };
          return;
        }
        if (n.fn === "pow" && n.exponent === 2) {
          if (p.q !== null) refuse(i, "a square of degree > 2");
          // (c + Cx)^2 = c^2 + 2c Cx + E[(Cx)^2]
          let q: number | null = null;
          for (const [k, C] of p.lin)
            q = add(q, orientation(t) === "row" ? g.transpose(elementwise(C, C, k)) : elementwise(C, C, k));
          poly[i] = {
            c: p.c === null ? null : g.binary("mul", p.c, p.c),
            lin:
              p.c === null
                ? new Map()
                : mapLin(p.lin, (C) => scaleCoefficient(g.binary("mul", g.constant(2), p.c!), C, t, i)),
            q,
          };
          return;
        }
        throw refusal(
          i,
          `${n.fn}(...) of a value that depends on the inputs is not a polynomial of degree <= 2`,
        );
      }
      case "sum": {
        const p = asPoly(n.a);
        const ta = program.nodes[n.a]!.type;
        const length = ta.rows * ta.cols;
        const total = (x: number) => {
          const tx = g.type(x);
          const s =
            tx.rows * tx.cols === 1 ? x : g.add({ op: "sum", a: x }, { rows: 1, cols: 1, perSample: false });
          return tx.rows * tx.cols === 1 && length > 1 ? g.binary("mul", g.constant(length), s) : s;
        };
        poly[i] = {
          c: p.c === null ? null : total(p.c),
          lin: mapLin(p.lin, (C) => (length === 1 ? C : g.matmul(g.transpose(onesColumn(length)), C))),
          q: p.q === null ? null : total(p.q),
        };
        return;
      }
      default:
        throw refusal(i, `${n.op} of a per-sample value`);
    }
  };
  program.nodes.forEach(expectNode);
  const outputs = program.outputs.map((o) => {
    const d = det[o];
    if (d === null || d === undefined)
      throw new InvalidArgumentError(fn, "outputs", "deterministic values", `node %${o} varies over samples`);
    return d;
  });
  return { program: extract(g, outputs, "none", 0, new Map()), extras };
}

/**
 * The program with its target data replaced by the targets' own expressions of the inputs
 * (CompiledRule.targets), so that expectationProgram sees every dependence on the inputs.
 */
export function inlineTargets(program: IrProgram, targets: IrProgram, inputCount: number): IrProgram {
  const g = new Graph();
  const copy = (p: IrProgram, data: (index: number, type: IrType) => number) => {
    const ids: number[] = [];
    p.nodes.forEach((n, i) => {
      switch (n.op) {
        case "matmul":
        case "binary":
          ids[i] = g.add({ ...n, a: ids[n.a]!, b: ids[n.b]! }, n.type);
          return;
        case "transpose":
        case "unary":
        case "sampleSum":
        case "sum":
        case "diag":
          ids[i] = g.add({ ...n, a: ids[n.a]! }, n.type);
          return;
        case "data":
          ids[i] = data(n.index, n.type);
          return;
        default:
          ids[i] = g.add(n, n.type);
      }
    });
    return p.outputs.map((o) => ids[o]!);
  };
  const input = (index: number, type: IrType) => g.add({ op: "data", index }, type);
  const targetNodes = copy(targets, input);
  const outputs = copy(program, (index, type) =>
    index < inputCount ? input(index, type) : targetNodes[index - inputCount]!,
  );
  return extract(g, outputs, program.samples, program.sampleCount, new Map());
}

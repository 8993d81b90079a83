/**
 * Forward-mode differentiation of IR programs with respect to the states: the Jacobian-vector
 * product as another IR program, so every backend that runs programs runs J·v too.
 *
 * For a program p(x) of the states x = (x_0, ..., x_{n-1}), `jvpProgram(p, n)` is the program
 * of the states (x_0, ..., x_{n-1}, v_0, ..., v_{n-1}) (the tangents are states n..2n-1, each of
 * its state's shape) returning the outputs of p followed by their directional derivatives
 * d/dt p(x + t v) at t = 0, one per output, of the output's shape. Fixed tensors, parameters,
 * data and constants have zero tangent. The rules are the usual ones (product rule for matmul
 * and elementwise products, quotient rule, f'(a) da for elementwise f, linear maps of tangents
 * for transpose, sums and diag); the second derivatives of the activations are written with the
 * IR's own functions (src/ir/derivative.ts).
 * A tangent that broadcasts (the derivative of a 1 x 1 summand of a matrix) is widened to its
 * value's shape by a product with ones.
 */
import { InvalidArgumentError } from "../util/errors.ts";
import { unaryDerivative } from "./derivative.ts";
import { extract, Graph } from "./lower.ts";
import type { IrNode, IrProgram, IrType } from "./program.ts";

export function jvpProgram(program: IrProgram, stateCount: number): IrProgram {
  const g = new Graph();
  const value: number[] = [];
  const tangent: (number | null)[] = [];
  const sameType = (a: IrType, b: IrType) =>
    a.rows === b.rows && a.cols === b.cols && a.perSample === b.perSample;
  // ones(x): 1 in every entry of x's type (linear'(x) = 1).
  const ones = (x: number) => g.unary("linear'", x);
  const fit = (t: number, v: number) => (sameType(g.type(t), g.type(v)) ? t : g.binary("mul", t, ones(v)));
  const plus = (a: number | null, b: number | null, v: number): number | null => {
    if (a === null && b === null) return null;
    if (a === null) return fit(b!, v);
    if (b === null) return fit(a, v);
    return fit(g.binary("add", a, b), v);
  };

  program.nodes.forEach((n: IrNode, i) => {
    const v = (k: number) => value[k]!;
    const t = (k: number) => tangent[k] ?? null;
    switch (n.op) {
      case "state": {
        value[i] = g.add({ op: "state", index: n.index }, n.type);
        if (n.index >= stateCount) {
          throw new InvalidArgumentError(
            "jvpProgram",
            "stateCount",
            `more than the state index ${n.index}`,
            stateCount,
          );
        }
        tangent[i] = g.add({ op: "state", index: stateCount + n.index }, n.type);
        return;
      }
      case "fixed":
      case "param":
      case "data":
      case "constant":
        value[i] = g.add(n, n.type);
        tangent[i] = null;
        return;
      case "matmul": {
        value[i] = g.matmul(v(n.a), v(n.b));
        const left = t(n.a) === null ? null : g.matmul(t(n.a)!, v(n.b));
        const right = t(n.b) === null ? null : g.matmul(v(n.a), t(n.b)!);
        tangent[i] = plus(left, right, value[i]!);
        return;
      }
      case "transpose":
        value[i] = g.transpose(v(n.a));
        tangent[i] = t(n.a) === null ? null : g.transpose(t(n.a)!);
        return;
      case "sampleSum":
      case "sum":
      case "diag": {
        value[i] = g.add({ op: n.op, a: v(n.a) }, n.type);
        const ta = t(n.a);
        tangent[i] = ta === null ? null : g.add({ op: n.op, a: ta }, n.type);
        return;
      }
      case "binary": {
        const a = v(n.a);
        const b = v(n.b);
        const out = g.binary(n.fn, a, b);
        value[i] = out;
        const ta = t(n.a);
        const tb = t(n.b);
        switch (n.fn) {
          case "add":
            tangent[i] = plus(ta, tb, out);
            return;
          case "sub":
            tangent[i] = plus(ta, tb === null ? null : g.unary("negate", tb), out);
            return;
          case "mul":
            tangent[i] = plus(
              ta === null ? null : g.binary("mul", ta, b),
              tb === null ? null : g.binary("mul", a, tb),
              out,
            );
            return;
          case "div":
            // d(a/b) = da/b - (a/b) db / b
            tangent[i] = plus(
              ta === null ? null : g.binary("div", ta, b),
              tb === null ? null : g.unary("negate", g.binary("div", g.binary("mul", out, tb), b)),
              out,
            );
            return;
        }
        return;
      }
      case "unary": {
        const a = v(n.a);
        const out = g.unary(n.fn, a, n.exponent);
        value[i] = out;
        const ta = t(n.a);
        if (ta === null) {
          tangent[i] = null;
          return;
        }
        const d = unaryDerivative(g, n, a, out);
        tangent[i] = d === null ? null : fit(g.binary("mul", d, ta), out);
        return;
      }
    }
  });
  const zeroLike = (v: number) => g.binary("mul", g.constant(0), ones(v));
  const outputs = [
    ...program.outputs.map((o) => value[o]!),
    ...program.outputs.map((o) => tangent[o] ?? zeroLike(value[o]!)),
  ];
  return extract(g, outputs, program.samples, program.sampleCount, new Map());
}

/**
 * The arithmetic elementwise functions of the IR as WebAssembly instructions, on one float64
 * ("scalar") or two lanes ("vector", f64x2), each exactly the definition of src/ir/elementwise.ts:
 * IEEE-754 operations are correctly rounded in both JavaScript and WebAssembly, lane by lane, so
 * the same operations in the same order give the same bits. Comparisons decide the piecewise
 * functions the way the ternaries there do, NaN included (relu(NaN) = 0, abs'(NaN) = 0):
 * `x > 0 ? x : 0` is x AND (x > 0) on the lane masks. The transcendental functions are not
 * here: the host computes them (HostUnary in kernel.ts).
 */
import type { BinaryFn } from "../../ir/program.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import type { ArithmeticUnary } from "./kernel.ts";
import type { FunctionBuilder } from "./module-builder.ts";

export type Mode = "scalar" | "vector";

/** Pushes the constant c (splatted in vector mode). */
export function emitConstant(fb: FunctionBuilder, mode: Mode, c: number): void {
  fb.op("f64.const", c);
  if (mode === "vector") fb.op("f64x2.splat");
}

/** a op b with a and b on the stack. */
export function emitBinary(fb: FunctionBuilder, mode: Mode, fn: BinaryFn): void {
  const v = mode === "vector";
  switch (fn) {
    case "add":
      fb.op(v ? "f64x2.add" : "f64.add");
      return;
    case "sub":
      fb.op(v ? "f64x2.sub" : "f64.sub");
      return;
    case "mul":
      fb.op(v ? "f64x2.mul" : "f64.mul");
      return;
    case "div":
      fb.op(v ? "f64x2.div" : "f64.div");
      return;
  }
}

/** Whether f(x) is computed without x (a constant function). */
export function ignoresOperand(fn: ArithmeticUnary, exponent: number): boolean {
  return fn === "linear'" || (fn === "pow" && exponent === 0);
}

/**
 * f(x), with x on the stack (nothing on the stack when ignoresOperand). `temp` gives a fresh
 * local of the mode's type for operands used more than once.
 */
export function emitUnary(
  fb: FunctionBuilder,
  mode: Mode,
  fn: ArithmeticUnary,
  exponent: number,
  temp: () => number,
): void {
  const v = mode === "vector";
  const positive = () => {
    // x > 0 for the x in local `x`: a lane mask, or an i32.
    emitConstant(fb, mode, 0);
    fb.op(v ? "f64x2.gt" : "f64.gt");
  };
  // (cond ? a : 0) for cond the result of `test`; a pushed by `value`.
  const onlyWhere = (value: () => void, test: () => void) => {
    value();
    if (v) {
      test();
      fb.op("v128.and");
    } else {
      emitConstant(fb, mode, 0);
      test();
      fb.op("select");
    }
  };
  switch (fn) {
    case "negate":
      fb.op(v ? "f64x2.neg" : "f64.neg");
      return;
    case "linear":
      return;
    case "sqrt":
      fb.op(v ? "f64x2.sqrt" : "f64.sqrt");
      return;
    case "abs":
      fb.op(v ? "f64x2.abs" : "f64.abs");
      return;
    case "linear'":
      emitConstant(fb, mode, 1);
      return;
    case "pow": {
      // integerPower: x*x*...*x left to right; 1 for k = 0; 1 / x^|k| for k < 0.
      const k = Math.abs(exponent);
      if (!Number.isInteger(exponent))
        throw new InvalidArgumentError("emitUnary", "exponent", "an integer", exponent);
      if (k === 0) {
        emitConstant(fb, mode, 1);
        return;
      }
      const x = temp();
      fb.op("local.set", x).op("local.get", x);
      for (let t = 1; t < k; t++) fb.op("local.get", x).op(v ? "f64x2.mul" : "f64.mul");
      if (exponent < 0) {
        const r = temp();
        fb.op("local.set", r);
        emitConstant(fb, mode, 1);
        fb.op("local.get", r).op(v ? "f64x2.div" : "f64.div");
      }
      return;
    }
    case "relu": {
      const x = temp();
      fb.op("local.set", x);
      onlyWhere(
        () => fb.op("local.get", x),
        () => {
          fb.op("local.get", x);
          positive();
        },
      );
      return;
    }
    case "relu'": {
      const x = temp();
      fb.op("local.set", x);
      onlyWhere(
        () => emitConstant(fb, mode, 1),
        () => {
          fb.op("local.get", x);
          positive();
        },
      );
      return;
    }
    case "abs'": {
      // x > 0 ? 1 : x < 0 ? -1 : 0
      const x = temp();
      fb.op("local.set", x);
      const negative = () => {
        fb.op("local.get", x);
        emitConstant(fb, mode, 0);
        fb.op(v ? "f64x2.lt" : "f64.lt");
      };
      if (v) {
        onlyWhere(
          () => emitConstant(fb, mode, 1),
          () => {
            fb.op("local.get", x);
            positive();
          },
        );
        onlyWhere(() => emitConstant(fb, mode, -1), negative);
        fb.op("v128.or");
      } else {
        emitConstant(fb, mode, 1);
        onlyWhere(() => emitConstant(fb, mode, -1), negative);
        fb.op("local.get", x);
        positive();
        fb.op("select");
      }
      return;
    }
    case "log'": {
      const x = temp();
      fb.op("local.set", x);
      emitConstant(fb, mode, 1);
      fb.op("local.get", x).op(v ? "f64x2.div" : "f64.div");
      return;
    }
    case "sqrt'": {
      const r = temp();
      fb.op(v ? "f64x2.sqrt" : "f64.sqrt").op("local.set", r);
      emitConstant(fb, mode, 0.5);
      fb.op("local.get", r).op(v ? "f64x2.div" : "f64.div");
      return;
    }
    default:
      throw new InvalidArgumentError("emitUnary", "fn", "an arithmetic elementwise function", fn);
  }
}

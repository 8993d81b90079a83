/**
 * The arithmetic elementwise functions of the IR as WebAssembly instructions, on one entry
 * ("scalar") or one vector of entries ("vector": f64x2, or f32x4 for float32; element.ts), each
 * exactly the definition of src/ir/elementwise.ts:
 * IEEE-754 operations are correctly rounded in both JavaScript and WebAssembly, lane by lane, so
 * the same operations in the same order give the same bits (in float32: the float32 rounding of
 * each result, as Math.fround after every operation). Comparisons decide the piecewise
 * functions the way the ternaries there do, NaN included (relu(NaN) = 0, abs'(NaN) = 0):
 * `x > 0 ? x : 0` is x AND (x > 0) on the lane masks. The transcendental functions are not
 * here: the host computes them (HostUnary in kernel.ts).
 */
import type { BinaryFn } from "../../ir/program.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { type Element, modeOp, roundTo } from "./element.ts";
import type { ArithmeticUnary } from "./kernel.ts";
import type { FunctionBuilder } from "./module-builder.ts";

export type Mode = "scalar" | "vector";

/** Pushes the constant c (splatted in vector mode). */
export function emitConstant(fb: FunctionBuilder, e: Element, mode: Mode, c: number): void {
  fb.op(`${e.scalar}.const`, roundTo(e, c));
  if (mode === "vector") fb.op(`${e.vector}.splat`);
}

/** a op b with a and b on the stack. */
export function emitBinary(fb: FunctionBuilder, e: Element, mode: Mode, fn: BinaryFn): void {
  fb.op(modeOp(e, mode === "vector", fn));
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
  e: Element,
  mode: Mode,
  fn: ArithmeticUnary,
  exponent: number,
  temp: () => number,
): void {
  const v = mode === "vector";
  const op = (name: string) => modeOp(e, v, name);
  const positive = () => {
    // x > 0 for the x in local `x`: a lane mask, or an i32.
    emitConstant(fb, e, mode, 0);
    fb.op(op("gt"));
  };
  // (cond ? a : 0) for cond the result of `test`; a pushed by `value`.
  const onlyWhere = (value: () => void, test: () => void) => {
    value();
    if (v) {
      test();
      fb.op("v128.and");
    } else {
      emitConstant(fb, e, mode, 0);
      test();
      fb.op("select");
    }
  };
  switch (fn) {
    case "negate":
      fb.op(op("neg"));
      return;
    case "linear":
      return;
    case "sqrt":
      fb.op(op("sqrt"));
      return;
    case "abs":
      fb.op(op("abs"));
      return;
    case "linear'":
      emitConstant(fb, e, mode, 1);
      return;
    case "pow": {
      // integerPower: x*x*...*x left to right; 1 for k = 0; 1 / x^|k| for k < 0.
      const k = Math.abs(exponent);
      if (!Number.isInteger(exponent))
        throw new InvalidArgumentError("emitUnary", "exponent", "an integer", exponent);
      if (k === 0) {
        emitConstant(fb, e, mode, 1);
        return;
      }
      const x = temp();
      fb.op("local.set", x).op("local.get", x);
      for (let t = 1; t < k; t++) fb.op("local.get", x).op(op("mul"));
      if (exponent < 0) {
        const r = temp();
        fb.op("local.set", r);
        emitConstant(fb, e, mode, 1);
        fb.op("local.get", r).op(op("div"));
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
        () => emitConstant(fb, e, mode, 1),
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
        emitConstant(fb, e, mode, 0);
        fb.op(op("lt"));
      };
      if (v) {
        onlyWhere(
          () => emitConstant(fb, e, mode, 1),
          () => {
            fb.op("local.get", x);
            positive();
          },
        );
        onlyWhere(() => emitConstant(fb, e, mode, -1), negative);
        fb.op("v128.or");
      } else {
        emitConstant(fb, e, mode, 1);
        onlyWhere(() => emitConstant(fb, e, mode, -1), negative);
        fb.op("local.get", x);
        positive();
        fb.op("select");
      }
      return;
    }
    case "log'": {
      const x = temp();
      fb.op("local.set", x);
      emitConstant(fb, e, mode, 1);
      fb.op("local.get", x).op(op("div"));
      return;
    }
    case "sqrt'": {
      const r = temp();
      fb.op(op("sqrt")).op("local.set", r);
      emitConstant(fb, e, mode, 0.5);
      fb.op("local.get", r).op(op("div"));
      return;
    }
    default:
      throw new InvalidArgumentError("emitUnary", "fn", "an arithmetic elementwise function", fn);
  }
}

/**
 * The derivative f'(a) of the IR's unary functions as IR nodes, for forward and reverse mode
 * (src/ir/jvp.ts, src/ir/vjp.ts): the second derivatives of the activations are written with the
 * IR's own functions, reusing out = f(a) where the closed form has it:
 *   tanh'' = -2 tanh tanh',  sigmoid'' = sigmoid' (1 - 2 sigmoid),  log'' = -(log')^2,
 *   sqrt'' = -sqrt' / (2x),  exp'' = exp,  linear'' = relu'' = abs'' = 0 (almost everywhere).
 */
import type { Graph } from "./lower.ts";
import type { IrNode } from "./program.ts";

/** f'(a) for the IR's unary functions (null where it vanishes), reusing f(a) = out where it can. */
export function unaryDerivative(
  g: Graph,
  n: IrNode & { op: "unary" },
  a: number,
  out: number,
): number | null {
  switch (n.fn) {
    case "negate":
      return g.constant(-1);
    case "linear":
      return g.constant(1);
    case "pow": {
      const k = n.exponent ?? 1;
      return k === 0 ? null : g.binary("mul", g.constant(k), g.unary("pow", a, k - 1));
    }
    case "tanh":
    case "relu":
    case "sigmoid":
    case "exp":
    case "log":
    case "sqrt":
    case "abs":
      return g.unary(`${n.fn}'`, a);
    case "tanh'":
      return g.binary("mul", g.constant(-2), g.binary("mul", g.unary("tanh", a), out));
    case "sigmoid'":
      return g.binary(
        "mul",
        out,
        g.binary("sub", g.constant(1), g.binary("mul", g.constant(2), g.unary("sigmoid", a))),
      );
    case "log'":
      return g.unary("negate", g.unary("pow", out, 2));
    case "sqrt'":
      return g.unary("negate", g.binary("div", out, g.binary("mul", g.constant(2), a)));
    case "exp'":
      return out;
    case "linear'":
    case "relu'":
    case "abs'":
      return null;
  }
}

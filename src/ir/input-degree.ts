/**
 * The degree of a program's values as polynomials in the inputs (the drawn per-sample data),
 * and the check that every average over samples is of a polynomial of degree at most 2.
 *
 * Then the average over a design X of samples depends on X only through its first and second
 * moments, so a design with the population's moments gives the population average exactly:
 * for Gaussian inputs, the expectation over x is taken in closed form (src/analysis/network/
 * population.ts). Degrees: inputs 1, targets their own degree in the inputs (from the targets
 * program), states, fixed tensors, parameters and constants 0; products add degrees; sums and
 * differences take the larger; elementwise functions other than the identity and negation keep
 * degree 0 arguments at 0 and make anything else non-polynomial (Infinity); pow k multiplies by
 * k (a negative power of a non-constant is non-polynomial).
 */
import { operands } from "./lower.ts";
import type { CompiledRule, IrNode, IrProgram } from "./program.ts";

/** Degree of every node of `program` in the inputs; `dataDegrees[k]` is the degree of data k. */
export function inputDegrees(program: IrProgram, dataDegrees: readonly number[]): number[] {
  const deg: number[] = [];
  program.nodes.forEach((n: IrNode, i) => {
    const d = (k: number) => deg[k]!;
    switch (n.op) {
      case "data":
        deg[i] = dataDegrees[n.index]!;
        return;
      case "state":
      case "fixed":
      case "param":
      case "constant":
        deg[i] = 0;
        return;
      case "matmul":
        deg[i] = d(n.a) + d(n.b);
        return;
      case "binary":
        deg[i] =
          n.fn === "mul"
            ? d(n.a) + d(n.b)
            : n.fn === "div"
              ? d(n.b) === 0
                ? d(n.a)
                : Number.POSITIVE_INFINITY
              : Math.max(d(n.a), d(n.b));
        return;
      case "unary": {
        const a = d(n.a);
        if (a === 0) deg[i] = 0;
        else if (n.fn === "negate" || n.fn === "linear") deg[i] = a;
        else if (n.fn === "pow" && (n.exponent ?? 1) >= 0) deg[i] = a * (n.exponent ?? 1);
        else if (n.fn === "linear'") deg[i] = 0;
        else deg[i] = Number.POSITIVE_INFINITY;
        return;
      }
      case "sampleSum":
        deg[i] = 0; // an average over samples no longer depends on a sample
        return;
      default:
        deg[i] = Math.max(...operands(n).map(d));
    }
  });
  return deg;
}

/** Degrees of a compiled rule's data: inputs 1, targets from the targets program. */
export function dataDegrees(rule: CompiledRule): number[] {
  const inputs = Array.from({ length: rule.inputCount }, () => 1);
  const t = inputDegrees(rule.targets, inputs);
  return [...inputs, ...rule.targets.outputs.map((o) => t[o]!)];
}

/**
 * The first average over samples whose summand is not a polynomial of degree <= 2 in the inputs,
 * with its degree, or null when there is none.
 */
export function nonQuadraticAverage(
  program: IrProgram,
  degreesOfData: readonly number[],
): { node: number; degree: number } | null {
  const deg = inputDegrees(program, degreesOfData);
  for (let i = 0; i < program.nodes.length; i++) {
    const n = program.nodes[i]!;
    if (n.op === "sampleSum" && deg[n.a]! > 2) return { node: i, degree: deg[n.a]! };
  }
  return null;
}

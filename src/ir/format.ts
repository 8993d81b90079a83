/** A readable listing of an IR program, one node per line: `%3 = matmul %1 %2  : [8,1]*`. */
import type { IrNode, IrProgram } from "./program.ts";

function describe(n: IrNode): string {
  switch (n.op) {
    case "state":
    case "fixed":
    case "param":
    case "data":
      return `${n.op}[${n.index}]`;
    case "constant":
      return `constant ${n.value}`;
    case "matmul":
      return `matmul %${n.a} %${n.b}`;
    case "binary":
      return `${n.fn} %${n.a} %${n.b}`;
    case "unary":
      return n.fn === "pow" ? `pow %${n.a} ${n.exponent}` : `${n.fn} %${n.a}`;
    case "transpose":
    case "sampleSum":
    case "sum":
    case "diag":
      return `${n.op} %${n.a}`;
  }
}

/** The program as text; `names` label the leaves (e.g. state names). */
export function formatProgram(
  p: IrProgram,
  names: {
    states?: readonly string[];
    fixed?: readonly string[];
    params?: readonly string[];
    data?: readonly string[];
  } = {},
): string {
  const lines = p.nodes.map((n, i) => {
    const label =
      n.op === "state"
        ? names.states?.[n.index]
        : n.op === "fixed"
          ? names.fixed?.[n.index]
          : n.op === "param"
            ? names.params?.[n.index]
            : n.op === "data"
              ? names.data?.[n.index]
              : undefined;
    const type = `[${n.type.rows},${n.type.cols}]${n.type.perSample ? "*" : ""}`;
    return `%${i} = ${describe(n)}${label ? ` (${label})` : ""}  : ${type}`;
  });
  lines.push(
    `return ${p.outputs.map((o) => `%${o}`).join(", ")}   # samples: ${p.samples} (${p.sampleCount}); * = per sample`,
  );
  return lines.join("\n");
}

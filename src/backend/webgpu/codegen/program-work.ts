/**
 * The arithmetic of one evaluation of an IR program: every entry of every node counted once,
 * a k-term reduction (matmul, sampleSum, sum) as k multiply-adds or adds, an elementwise
 * operation as 1. For the generated kernels this is also the work they do, since they compute
 * no entry twice (fusion-plan.ts); benchmarks turn it into operations per second.
 */
import type { IrProgram } from "../../../ir/program.ts";

/** Operations of one evaluation of `program` over its sample count. */
export function programWork(program: IrProgram): number {
  let work = 0;
  for (const n of program.nodes) {
    const entries = (n.type.perSample ? program.sampleCount : 1) * n.type.rows * n.type.cols;
    switch (n.op) {
      case "matmul":
        work += entries * program.nodes[n.a]!.type.cols;
        break;
      case "sampleSum":
        work += entries * program.sampleCount;
        break;
      case "sum":
        work += entries * program.nodes[n.a]!.type.rows * program.nodes[n.a]!.type.cols;
        break;
      case "unary":
      case "binary":
        work += entries;
        break;
      default:
    }
  }
  return work;
}

/**
 * A network rule's population Jacobian at its teacher point, dense (small sizes): the nonzero
 * eigenvalues (`nonzero`: real parts, ascending, for rules whose eigenvalues are real;
 * `nonzeroComplex`: all of them) and the run's drawn tensors by name. The reference the teacher-point laws are compared with.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { denseJacobian } from "../src/analysis/network/field-operator.ts";
import { teacherPoint } from "../src/analysis/network/fixed-points.ts";
import { populationOperator } from "../src/analysis/network/population.ts";
import { classifyBindings, resolveParams } from "../src/ir/bind.ts";
import { compileModel, drawRuns } from "../src/ir/model.ts";
import { loadNetworkRule } from "../src/rules/load.ts";

export function teacherPointSpectrum(file: string, raw: Record<string, string>, seed = 3) {
  const spec = loadNetworkRule(file);
  const bindings = classifyBindings(spec, raw, "test");
  const model = compileModel(spec, bindings);
  const [run] = drawRuns(model, [{ seed, params: bindings.params ?? {} }]);
  const params = resolveParams(spec, model.compiled.sizes, bindings.params ?? {});
  const op = populationOperator(model, run!, params);
  const x = teacherPoint(model, run!)!;
  const d = op.dimension;
  const evd = new EigenvalueDecomposition(Matrix.from1DArray(d, d, denseJacobian(op, x)));
  const nonzero = evd.realEigenvalues
    .filter((re, i) => Math.hypot(re, evd.imaginaryEigenvalues[i]!) > 1e-9)
    .sort((a, b) => a - b);
  const nonzeroComplex = evd.realEigenvalues
    .map((re, i) => ({ re, im: evd.imaginaryEigenvalues[i]! }))
    .filter((z) => Math.hypot(z.re, z.im) > 1e-9);
  const names = model.spec.fixed.map((f) => f.name);
  const fixedIndex = (name: string) => names.indexOf(name);
  const get = (name: string) => run!.fixed[fixedIndex(name)]!;
  const shape = (name: string) => model.compiled.fixed[fixedIndex(name)]!;
  return { nonzero, nonzeroComplex, get, shape, spec, sizes: model.compiled.sizes, params };
}

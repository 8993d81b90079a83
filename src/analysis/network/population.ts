/**
 * The population field of a network rule, in closed form, for Gaussian inputs: the average over
 * samples replaced by the expectation over x ~ N(0, sd^2 I).
 *
 * When every average over samples in a program is of a polynomial of degree <= 2 in the inputs
 * (src/ir/input-degree.ts; e.g. linear networks: the error is linear in x, the updates are
 * averages of e x'), the average over a design X depends on X only through its first moment
 * (1/P) sum x and second moment (1/P) sum x x'. A design with first moment exactly 0 and second
 * moment exactly sd^2 I (sqrt(P) sd times orthonormal columns orthogonal to the all-ones vector)
 * therefore gives the population average exactly (up to rounding), with the same programs and
 * operators as a training set. Several inputs are made jointly orthogonal (independent inputs
 * have zero cross-moments). This needs P >= (total input dimension) + 1 samples.
 *
 * Refused, with the reason: rules whose averages are not quadratic in x (a nonlinear activation
 * of the input, a target of degree > 1...), inputs whose law is not a centered isotropic normal.
 */
import { Matrix, QrDecomposition } from "ml-matrix";
import { evaluateScalar } from "../../ir/bind.ts";
import type { RunData } from "../../ir/draw.ts";
import { expectationProgram, extraTensor, inlineTargets } from "../../ir/expectation.ts";
import { dataDegrees, nonQuadraticAverage } from "../../ir/input-degree.ts";
import { prepareProgram } from "../../ir/interpret.ts";
import type { NetworkModel } from "../../ir/model.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { Rng } from "../../util/random.ts";
import { type FieldOperator, programOperator, stateBlocks } from "./field-operator.ts";

/** Why a rule has no closed-form population field here, or null when it has one. */
export function populationRefusal(model: NetworkModel, options: { design?: boolean } = {}): string | null {
  const { compiled, spec } = model;
  if (!compiled.samples) return "the rule has no data: its field is already deterministic";
  if (!compiled.field) return "the rule is a map, not a flow";
  const degrees = dataDegrees(compiled);
  const bad = nonQuadraticAverage(compiled.field, degrees);
  if (bad) {
    return `an average in the field is of degree ${bad.degree} in the inputs (closed form needs degree <= 2: a linear network, targets linear in x)`;
  }
  for (const d of spec.inputs) {
    const law = compiled.choices[d.law.law] ?? d.law.law;
    if (law !== "normal" || d.law.args.mean !== undefined)
      return `input ${d.name} is not drawn from a centered normal law`;
  }
  const dimension = compiled.data.slice(0, compiled.inputCount).reduce((s, d) => s + d.rows * d.cols, 0);
  if (options.design !== false && compiled.samples.train < dimension + 1) {
    return `the design needs at least ${dimension + 1} training samples (the input dimension + 1), the rule has ${compiled.samples.train}`;
  }
  return null;
}

/**
 * The run with its training inputs replaced by a design with the population's first and second
 * moments (and its targets recomputed), so that the training-set field is the population field.
 * `params` are the run's parameter values by name (for the inputs' law).
 */
export function populationRun(
  model: NetworkModel,
  run: RunData,
  params: Readonly<Record<string, number>>,
  seed = 1,
): RunData {
  const refusal = populationRefusal(model);
  if (refusal)
    throw new InvalidArgumentError(
      "populationRun",
      "model",
      "a rule with a closed-form population field",
      model.compiled.name,
      refusal,
    );
  const { compiled, spec } = model;
  const P = compiled.samples!.train;
  const inputs = compiled.data.slice(0, compiled.inputCount);
  const widths = inputs.map((d) => d.rows * d.cols);
  const total = widths.reduce((a, b) => a + b, 0);
  const rng = new Rng(seed);
  const G = Matrix.from1DArray(P, total, rng.normals(P * total));
  for (let j = 0; j < total; j++) {
    let mean = 0;
    for (let s = 0; s < P; s++) mean += G.get(s, j);
    mean /= P;
    for (let s = 0; s < P; s++) G.set(s, j, G.get(s, j) - mean);
  }
  const Q = new QrDecomposition(G).orthogonalMatrix; // P x total, orthonormal columns, orthogonal to 1
  const scales = inputScales(model, params);
  const train: Float64Array[] = [];
  let column = 0;
  spec.inputs.forEach((_d, k) => {
    const sd = scales[k]!;
    const w = widths[k]!;
    const X = new Float64Array(P * w);
    for (let s = 0; s < P; s++)
      for (let j = 0; j < w; j++) X[s * w + j] = Math.sqrt(P) * sd * Q.get(s, column + j);
    column += w;
    train.push(X);
  });
  if (compiled.data.length > compiled.inputCount) {
    const targets = prepareProgram(compiled.targets, P).run({
      states: [],
      fixed: run.fixed,
      params: run.params,
      data: train,
    });
    for (const t of targets) train.push(Float64Array.from(t));
  }
  return { ...run, train };
}

/** The standard deviation of each input's centered normal law at the run's parameters. */
export function inputScales(model: NetworkModel, params: Readonly<Record<string, number>>): number[] {
  const { compiled, spec } = model;
  const env = { ...compiled.sizes, ...params };
  return spec.inputs.map((d) => {
    const args = d.law.args;
    return args.variance
      ? Math.sqrt(evaluateScalar(args.variance, env, spec.file, `variance of ${d.name}`))
      : evaluateScalar(args.sd!, env, spec.file, `sd of ${d.name}`);
  });
}

/**
 * The population field and its Jacobian in closed form (src/ir/expectation.ts): the rule's field
 * with every average over samples replaced by its expectation over the Gaussian inputs. One
 * evaluation costs matrix products of the weights' sizes, with no training set.
 */
export function populationOperator(
  model: NetworkModel,
  run: RunData,
  params: Readonly<Record<string, number>>,
): FieldOperator {
  const refusal = populationRefusal(model, { design: false });
  if (refusal)
    throw new InvalidArgumentError(
      "populationOperator",
      "model",
      "a rule with a closed-form population field",
      model.compiled.name,
      refusal,
    );
  const { compiled } = model;
  const sd = inputScales(model, params);
  const inputs = compiled.data
    .slice(0, compiled.inputCount)
    .map((d, k) => ({ dimension: d.rows * d.cols, variance: sd[k]! * sd[k]! }));
  const field = inlineTargets(compiled.field!, compiled.targets, compiled.inputCount);
  const { program, extras } = expectationProgram(field, { fixedCount: compiled.fixed.length, inputs });
  return programOperator(
    stateBlocks(model),
    program,
    { fixed: [...run.fixed, ...extras.map(extraTensor)], params: run.params, data: [] },
    0,
  );
}

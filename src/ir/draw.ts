/**
 * Drawing one run of a network rule: its teachers and fixed random tensors, its training and
 * test inputs, the targets computed from them, its initial states, the seed of its minibatch
 * order, and the hoisted values of its programs, all in float64 on the host.
 *
 * Each role draws from its own stream of the run's seed (Rng.fork), in declaration order within
 * the stream, so runs that differ only in, say, a flip fraction are paired: same teacher, data
 * and initial weights.
 *
 *   stream 1: teachers          stream 4: random sign patterns (signs law)
 *   stream 2: inputs            stream 5: other random tensors (e.g. fixed feedback B)
 *   stream 3: initial states    stream 6: the minibatch order's seed (one u32)
 *
 * An input draws its training samples, then its test samples. Entries are drawn row-major.
 * Laws (src/rules/network/functions.ts): normal(sd) gives sd z (mean + sd z with a mean);
 * uniform(sd) gives sd sqrt(3) (2u - 1); signs(a) sets round(a n) of the n entries to -1 at the
 * first positions of a random permutation. These are the draws of src/sim/student-teacher.ts, so
 * the rule file of seed 001's model reproduces its runs.
 */
import type { LawSpec, NetworkRuleSpec, TensorDecl } from "../rules/network/spec.ts";
import { RuleError } from "../rules/rule-error.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { Rng } from "../util/random.ts";
import { own, recordOf } from "../util/record.ts";
import { evaluateScalar } from "./bind.ts";
import { prepareProgram } from "./interpret.ts";
import type { CompiledRule } from "./program.ts";

/** Everything one run needs, as row-major float64 arrays. */
export interface RunData {
  /** Initial value of each state. */
  readonly states: Float64Array[];
  /** Each fixed tensor: the drawn ones, then the hoisted values. */
  readonly fixed: Float64Array[];
  /** Parameter values in the order of CompiledRule.params. */
  readonly params: Float64Array;
  /** Each data tensor over the training set, [train, rows, cols] (inputs, then targets). */
  readonly train: Float64Array[];
  /** The same over the test set. */
  readonly test: Float64Array[];
  /** Seed of the minibatch order (counterPermutation(deriveKey(shuffleSeed, epoch), train)). */
  readonly shuffleSeed: number;
}

const STREAM = { teacher: 1, input: 2, state: 3, signs: 4, random: 5, shuffle: 6 } as const;

/**
 * Draws run `seed` of `rule` compiled as `compiled`, at parameter values `params` (every
 * parameter of the rule, e.g. from resolveParams). A law argument out of range (a negative
 * scale, a fraction outside [0, 1]) is a RuleError at the argument.
 */
export function drawRun(
  rule: NetworkRuleSpec,
  compiled: CompiledRule,
  params: Readonly<Record<string, number>>,
  seed: number,
): RunData {
  const missing = compiled.params.filter((p) => own(params, p) === undefined);
  if (missing.length > 0) {
    throw new InvalidArgumentError(
      "drawRun",
      "params",
      `a value for every parameter of rule "${rule.name}"`,
      `none for ${missing.join(", ")}`,
    );
  }
  const env = recordOf([
    ...Object.entries(compiled.sizes),
    ...compiled.params.map((p) => [p, own(params, p)!] as const),
  ]);
  const root = new Rng(seed);
  const streams = new Map<number, Rng>();
  const stream = (k: number) => {
    let r = streams.get(k);
    if (!r) {
      r = root.fork(k);
      streams.set(k, r);
    }
    return r;
  };
  const streamOf = (d: TensorDecl) =>
    d.role === "random"
      ? lawName(d.law, compiled) === "signs"
        ? STREAM.signs
        : STREAM.random
      : STREAM[d.role];
  // compiled.fixed, .data and .states list the rule's declarations in order (drawn fixed first).
  const drawnFixed = rule.fixed.map((d, k) => {
    const { rows, cols } = compiled.fixed[k]!;
    return drawTensor(d, rows, cols, 1, stream(streamOf(d)), env, compiled, rule.file);
  });
  const train: Float64Array[] = [];
  const test: Float64Array[] = [];
  rule.inputs.forEach((d, k) => {
    const { rows, cols } = compiled.data[k]!;
    const r = stream(STREAM.input);
    train.push(drawTensor(d, rows, cols, compiled.samples!.train, r, env, compiled, rule.file));
    test.push(drawTensor(d, rows, cols, compiled.samples!.test, r, env, compiled, rule.file));
  });
  const states = rule.states.map((d, k) => {
    const { rows, cols } = compiled.states[k]!;
    return drawTensor(d, rows, cols, 1, stream(STREAM.state), env, compiled, rule.file);
  });
  const paramValues = Float64Array.from(compiled.params, (p) => env[p]!);
  if (compiled.samples && compiled.data.length > compiled.inputCount) {
    for (const [set, data] of [
      [compiled.samples.train, train],
      [compiled.samples.test, test],
    ] as const) {
      const targets = prepareProgram(compiled.targets, set).run({
        states: [],
        fixed: drawnFixed,
        params: paramValues,
        data,
      });
      for (const t of targets) data.push(Float64Array.from(t));
    }
  }
  const hoisted = prepareProgram(compiled.hoist, 0).run({
    states: [],
    fixed: drawnFixed,
    params: paramValues,
    data: [],
  });
  return {
    states,
    fixed: [...drawnFixed, ...hoisted.map((h) => Float64Array.from(h))],
    params: paramValues,
    train,
    test,
    shuffleSeed: stream(STREAM.shuffle).nextUint32(),
  };
}

function lawName(law: LawSpec, compiled: CompiledRule): string {
  return own(compiled.choices, law.law) ?? law.law;
}

/** `count` draws of a rows x cols tensor, one after the other (count > 1 for samples). */
function drawTensor(
  d: TensorDecl,
  rows: number,
  cols: number,
  count: number,
  rng: Rng,
  env: Readonly<Record<string, number>>,
  compiled: CompiledRule,
  file: string,
): Float64Array {
  const law = lawName(d.law, compiled);
  const arg = (key: string) => {
    const e = own(d.law.args, key);
    return e === undefined
      ? undefined
      : evaluateScalar(e, env, file, `argument "${key}" of ${law} for ${d.name}`);
  };
  const refuse = (key: string, value: number, expected: string): never => {
    const at = own(d.law.argAt, key) ?? d.law.at;
    throw new RuleError(
      `${law}(${key} = ${value}) for ${d.name}: ${key} must be ${expected}`,
      at.line,
      at.column,
      file,
    );
  };
  const n = rows * cols;
  const out = new Float64Array(count * n);
  switch (law) {
    case "normal": {
      const variance = arg("variance");
      if (variance !== undefined && variance < 0) refuse("variance", variance, ">= 0 (a variance)");
      const sd = variance !== undefined ? Math.sqrt(variance) : arg("sd")!;
      if (sd < 0) refuse("sd", sd, ">= 0 (a scale)");
      const mean = arg("mean");
      for (let q = 0; q < out.length; q++)
        out[q] = mean === undefined ? sd * rng.normal() : mean + sd * rng.normal();
      return out;
    }
    case "uniform": {
      const sd = arg("sd");
      if (sd !== undefined) {
        if (sd < 0) refuse("sd", sd, ">= 0 (a scale)");
        for (let q = 0; q < out.length; q++) out[q] = sd * Math.sqrt(3) * (2 * rng.uniform() - 1);
        return out;
      }
      const low = arg("low")!;
      const high = arg("high")!;
      if (!(high >= low)) refuse("high", high, `>= low = ${low}`);
      for (let q = 0; q < out.length; q++) out[q] = low + (high - low) * rng.uniform();
      return out;
    }
    case "signs": {
      const a = arg("fraction")!;
      if (!(a >= 0 && a <= 1)) refuse("fraction", a, "in [0, 1]");
      for (let c = 0; c < count; c++) {
        out.fill(1, c * n, (c + 1) * n);
        const order = rng.permutation(n);
        for (let k = 0; k < Math.round(a * n); k++) out[c * n + order[k]!] = -1;
      }
      return out;
    }
    case "zeros":
      return out;
    case "identity":
      for (let c = 0; c < count; c++) for (let i = 0; i < rows; i++) out[c * n + i * cols + i] = 1;
      return out;
    default:
      throw new RuleError(`unknown law "${law}"`, d.law.at.line, d.law.at.column, file);
  }
}

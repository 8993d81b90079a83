/**
 * Validation of a NetworkInit shared by every backend: each run's arrays have the lengths the
 * compiled rule gives them and finite values, and the target norms are filled in (the initial
 * norms, in float64, unless given).
 */
import type { RunData } from "../ir/draw.ts";
import type { CompiledRule } from "../ir/program.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import type { NetworkInit } from "./backend.ts";

export interface CheckedNetworkInit {
  readonly rule: CompiledRule;
  readonly runs: readonly RunData[];
  /** Per state, [B] target norms (initial norms unless given). */
  readonly norms: readonly Float64Array[];
  /** Minibatch steps per epoch: train / minibatch, or 1 for a rule without data. */
  readonly stepsPerEpoch: number;
}

/** sqrt of the sum of squares in row-major order, accumulated from 0 (the IR's norm). */
export function frobeniusNorm(a: ArrayLike<number>, offset = 0, length = a.length - offset): number {
  let s = 0;
  for (let q = offset; q < offset + length; q++) s += a[q]! * a[q]!;
  return Math.sqrt(s);
}

export function checkNetworkInit(fn: string, init: NetworkInit): CheckedNetworkInit {
  const { rule, runs } = init;
  if (!Array.isArray(runs) || runs.length === 0)
    throw new InvalidArgumentError(fn, "runs", "at least one run", runs?.length ?? runs);
  const size = (t: { rows: number; cols: number }) => t.rows * t.cols;
  const inputs = rule.data;
  runs.forEach((run, b) => {
    const check = (what: string, arrays: readonly Float64Array[], lengths: number[]) => {
      if (arrays.length !== lengths.length) {
        throw new InvalidArgumentError(fn, `runs[${b}].${what}`, `${lengths.length} arrays`, arrays.length);
      }
      arrays.forEach((a, k) => {
        if (!(a instanceof Float64Array) || a.length !== lengths[k]) {
          throw new InvalidArgumentError(
            fn,
            `runs[${b}].${what}[${k}]`,
            `a Float64Array of length ${lengths[k]}`,
            a?.length,
          );
        }
        for (let q = 0; q < a.length; q++) {
          if (!Number.isFinite(a[q]!)) {
            throw new InvalidArgumentError(
              fn,
              `runs[${b}].${what}[${k}]`,
              "finite values",
              `${a[q]} at entry ${q}`,
            );
          }
        }
      });
    };
    check("states", run.states, rule.states.map(size));
    check("fixed", run.fixed, rule.fixed.map(size));
    check("train", run.train, rule.samples ? inputs.map((d) => size(d) * rule.samples!.train) : []);
    check("test", run.test, rule.samples ? inputs.map((d) => size(d) * rule.samples!.test) : []);
    if (run.params.length !== rule.params.length) {
      throw new InvalidArgumentError(
        fn,
        `runs[${b}].params`,
        `${rule.params.length} values`,
        run.params.length,
      );
    }
    if (!Number.isInteger(run.shuffleSeed) || run.shuffleSeed < 0 || run.shuffleSeed >= 2 ** 32) {
      throw new InvalidArgumentError(
        fn,
        `runs[${b}].shuffleSeed`,
        "an integer in [0, 2^32)",
        run.shuffleSeed,
      );
    }
  });
  const norms = rule.states.map((s, k) => {
    const given = init.norms?.[k];
    if (given !== undefined) {
      if (given.length !== runs.length || !given.every((x) => Number.isFinite(x) && x >= 0)) {
        throw new InvalidArgumentError(
          fn,
          `norms[${k}] (${s.name})`,
          `${runs.length} finite norms >= 0`,
          given,
        );
      }
      return Float64Array.from(given);
    }
    return Float64Array.from(runs, (run) => frobeniusNorm(run.states[k]!));
  });
  return { rule, runs, norms, stepsPerEpoch: rule.samples ? rule.samples.train / rule.minibatch : 1 };
}

/**
 * `learndyn jacobian RULE [--at origin|manifold|initial|FILE] [--set NAME=VALUE]...`: the
 * Jacobian of a network flow rule's field at a point, derived from the rule file (forward-mode
 * over its IR): the point and its residual |F|, the state's structure, and the spectrum: the
 * nonzero eigenvalues (from sketches of the operator, with the number of zero modes), the
 * rightmost eigenvalues of the whole operator by Arnoldi, or every eigenvalue of the dense
 * matrix at small sizes.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Matrix } from "ml-matrix";
import {
  denseJacobian,
  type FieldOperator,
  fieldOperator,
  flattenStates,
} from "../../analysis/network/field-operator.ts";
import { newtonFixedPoint, originPoint, teacherPoint } from "../../analysis/network/fixed-points.ts";
import { populationOperator, populationRefusal } from "../../analysis/network/population.ts";
import { rightmostFirst, sketchedNonzeroSpectrum } from "../../analysis/network/reduced-jacobian.ts";
import { classifyBindings, resolveParams } from "../../ir/bind.ts";
import { compileModel, drawRuns } from "../../ir/model.ts";
import { loadNetworkRule } from "../../rules/load.ts";
import { arnoldiEigenvalues } from "../../spectra/arnoldi.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { toJson } from "../../util/io.ts";
import { assignmentOption, numberOption } from "../args.ts";
import type { Command } from "../command.ts";

const usage = `usage: learndyn jacobian RULE [options]

The Jacobian J = dF/dx of a network flow rule's vector field F (the rule's d/dt of every state,
averaged over the training set, or its population expectation), derived from the rule file.

options:
  --at POINT         origin | manifold (the teacher's weights, refined by Newton's method when
                     |F| is not small) | initial (the run's initial states) | FILE (JSON
                     {"states": {"W1": [...], ...}}, each state row-major); default manifold
  --set NAME=VALUE   a size, parameter or choice of the rule (repeatable)
  --seed S           the run's seed: teachers, data, signs (default 1)
  --field F          population (closed form, Gaussian inputs, linear networks; default where
                     the rule allows it) | training (the average over the run's training set)
  --rightmost K      also the K rightmost eigenvalues of the whole operator (Arnoldi)
  --dense            every eigenvalue of the dense Jacobian (dimension <= 2000)
  --json             one JSON object`;

export const jacobianCommand: Command = {
  name: "jacobian",
  summary: "Jacobian of any network flow rule at a point: structure, zero modes, spectrum",
  usage,
  async run(argv, io) {
    const fn = "jacobian";
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        at: { type: "string" },
        set: { type: "string", multiple: true },
        seed: { type: "string" },
        field: { type: "string" },
        rightmost: { type: "string" },
        dense: { type: "boolean" },
        json: { type: "boolean" },
      },
    });
    if (positionals.length !== 1) {
      throw new InvalidArgumentError(
        fn,
        "RULE",
        "one network rule (a built-in name or a rule file)",
        positionals.join(" ") || "nothing",
      );
    }
    const spec = loadNetworkRule(positionals[0]!);
    const raw = Object.fromEntries((values.set ?? []).map((t) => assignmentOption(fn, "set", t)));
    const bindings = classifyBindings(spec, raw, fn);
    const model = compileModel(spec, bindings);
    const seed = numberOption(fn, "seed", values.seed, { integer: true, min: 0, max: 2 ** 32 - 1 }, 1);
    const [run] = drawRuns(model, [{ seed, params: bindings.params ?? {} }]);
    const refusal = populationRefusal(model, { design: false });
    const field = values.field ?? (refusal === null ? "population" : "training");
    if (field !== "population" && field !== "training") {
      throw new InvalidArgumentError(fn, "--field", "population or training", field);
    }
    if (field === "population" && refusal !== null) {
      throw new InvalidArgumentError(fn, "--field", "training for this rule", "population", refusal);
    }
    const op: FieldOperator =
      field === "population"
        ? populationOperator(model, run!, resolveParams(spec, model.compiled.sizes, bindings.params ?? {}))
        : fieldOperator(model, run!);

    const at = values.at ?? "manifold";
    let x: Float64Array;
    let newton: ReturnType<typeof newtonFixedPoint> | null = null;
    if (at === "origin") x = originPoint(op);
    else if (at === "initial") x = flattenStates(run!.states);
    else if (at === "manifold") {
      const teacher = teacherPoint(model, run!);
      if (!teacher) {
        throw new InvalidArgumentError(
          fn,
          "--at",
          "a point the rule has (origin, initial or a file)",
          "manifold",
          "the rule's states have no teachers of their shapes",
        );
      }
      x = teacher;
      const scale = Math.max(1, Math.sqrt(x.reduce((s, v) => s + v * v, 0)));
      if (Math.sqrt(op.field(x).reduce((s, v) => s + v * v, 0)) > 1e-10 * scale) {
        newton = newtonFixedPoint(op, x);
        x = newton.point;
      }
    } else {
      const parsed = JSON.parse(readFileSync(at, "utf8")) as { states?: Record<string, number[]> };
      x = flattenStates(
        op.blocks.map((b) => {
          const s = parsed.states?.[b.name];
          if (!Array.isArray(s) || s.length !== b.rows * b.cols) {
            throw new InvalidArgumentError(
              fn,
              `--at ${at}: states.${b.name}`,
              `an array of ${b.rows * b.cols} numbers`,
              s?.length ?? "nothing",
            );
          }
          return Float64Array.from(s);
        }),
      );
    }
    const F = op.field(x);
    const residual = Math.sqrt(F.reduce((s, v) => s + v * v, 0));
    // A fixed point to rounding: |F| within 1e-10 of the state's scale.
    const fixedPoint = residual <= 1e-10 * Math.max(1, Math.sqrt(x.reduce((s, v) => s + v * v, 0)));
    const started = performance.now();
    const nonzero = sketchedNonzeroSpectrum(op, x, { seed });
    const rightmostCount =
      values.rightmost === undefined
        ? 0
        : numberOption(fn, "rightmost", values.rightmost, { integer: true, min: 1, max: 50 });
    const arnoldi =
      rightmostCount > 0
        ? arnoldiEigenvalues((v) => op.apply(x, v), op.dimension, { count: rightmostCount, seed })
        : null;
    let dense: { re: number; im: number }[] | null = null;
    if (values.dense) {
      const J = denseJacobian(op, x, 2000);
      dense = rightmostFirst(Matrix.from1DArray(op.dimension, op.dimension, J));
    }
    const top = nonzero.eigenvalues[0];
    const report = {
      rule: spec.name,
      sizes: model.compiled.sizes,
      choices: model.compiled.choices,
      params: resolveParams(spec, model.compiled.sizes, bindings.params ?? {}),
      seed,
      field,
      point: {
        at,
        residual,
        fixedPoint,
        ...(newton
          ? {
              newton: {
                converged: newton.converged,
                iterations: newton.iterations,
                residual: newton.residual,
              },
            }
          : {}),
      },
      structure: { dimension: op.dimension, blocks: op.blocks },
      nonzeroSpectrum: {
        rank: nonzero.rank,
        zeroModes: nonzero.zeroModes,
        rightmost: top ?? null,
        stable: top && fixedPoint ? top.re < 0 : null,
        eigenvalues: nonzero.eigenvalues,
        sketchResidual: nonzero.residual,
        applications: nonzero.applications,
      },
      ...(arnoldi ? { arnoldi } : {}),
      ...(dense ? { dense } : {}),
      seconds: (performance.now() - started) / 1000,
    };
    if (values.json) io.out(toJson(report));
    else {
      io.out(
        `${spec.name} at ${at}: dimension ${op.dimension}, |F| = ${residual.toExponential(2)}, ${field} field`,
      );
      io.out(`  rank ${nonzero.rank}, zero modes ${nonzero.zeroModes}`);
      if (top) {
        const verdict = fixedPoint
          ? `: ${top.re < 0 ? "stable" : "unstable"} off the zero modes`
          : " (not a fixed point: the linearization at a moving point, no stability verdict)";
        io.out(
          `  rightmost nonzero eigenvalue ${top.re.toPrecision(6)}${top.im ? ` ± ${Math.abs(top.im).toPrecision(4)}i` : ""}${verdict}`,
        );
      }
      if (arnoldi) {
        io.out(
          `  Arnoldi (${arnoldi.converged ? "converged" : `NOT converged: ${arnoldi.stoppedBy} bound`}): ${arnoldi.values.map((v) => `${v.re.toPrecision(6)}${v.im ? `${v.im > 0 ? "+" : "-"}${Math.abs(v.im).toPrecision(4)}i` : ""} (residual ${v.residual.toExponential(1)})`).join(", ")}`,
        );
      }
    }
    if (newton && !newton.converged) {
      io.err(
        `jacobian: Newton's method did not reach a fixed point from the teacher point (|F| = ${newton.residual.toExponential(2)} after ${newton.iterations} iterations); the spectrum is at that point`,
      );
      return 1;
    }
    if (arnoldi && !arnoldi.converged)
      io.err(
        `jacobian: Arnoldi stopped by its ${arnoldi.stoppedBy} bound before convergence; residuals are reported`,
      );
    return 0;
  },
};

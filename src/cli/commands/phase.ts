/**
 * `learndyn phase curl-descent --layer hidden|readout|both --alphas a,b,... [--json] [--out DIR]`:
 * the critical ratio c*(α) of a layer (seed 001, Fig. 2) and, with --out, the analytic stability
 * map on a (c, α) grid as JSON, CSV, SVG and PNG. With --empirical SWEEP_DIR: the test-error
 * heatmap of a merged student-teacher sweep with the analytic boundary over it (Figs. 3a / 4a).
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { boundaryCurve, criticalAlpha } from "../../phase/boundary.ts";
import { type BoundaryCheck, checkBoundaryBySampling } from "../../phase/boundary-check.ts";
import {
  empiricalPhaseDiagram,
  loadMergedSweep,
  ruleEmpiricalPhaseDiagram,
} from "../../phase/empirical-diagram.ts";
import { type Layer, layerAlphas, requireLayer } from "../../phase/layer.ts";
import { compareHiddenQuartic, hiddenEdgePolynomial } from "../../phase/paper-quartic.ts";
import { writeEmpiricalPhaseDiagram } from "../../report/empirical-phase-diagram.ts";
import { writePhaseDiagram } from "../../report/phase-diagram.ts";
import { writeSpectrumFigure } from "../../report/spectrum-figure.ts";
import { loadNetworkRule } from "../../rules/load.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { toJson, writeJson } from "../../util/io.ts";
import { assignmentOption, numberListOption, numberOption } from "../args.ts";
import type { CliIO, Command } from "../command.ts";
import { outputFolderOption } from "../output-path.ts";
import type { DemoStep } from "./demo.ts";
import { expressionPhaseCommand } from "./phase-expression.ts";
import { expressionSampledCommand } from "./phase-expression-sampled.ts";
import { ruleLawPhaseCommand } from "./phase-rule-law.ts";
import { sampledPhase } from "./phase-sampled.ts";
import { requireModel } from "./spectrum.ts";

/** Refuses the first of `names` that was given, naming it and what it needs. */
function refuseGiven(values: Record<string, unknown>, names: readonly string[], expected: string): void {
  const given = names.find((name) => values[name] !== undefined);
  if (given !== undefined) throw new InvalidArgumentError("phase", `--${given}`, expected, values[given]);
}

/**
 * The analytic map of a network rule other than curl descent without --over: its law is derived
 * at the teacher point with --over (and drawn there), so the refusal names that route and the
 * sampled one.
 */
function refuseRuleWithoutLaw(ref: string): void {
  let name: string;
  try {
    name = loadNetworkRule(ref).name;
  } catch {
    return; // not a network rule: requireModel names what is expected
  }
  if (name === "curl-descent") {
    return; // seed 001's model by its name: requireModel says so
  }
  throw new InvalidArgumentError(
    "phase",
    "model",
    "curl-descent for seed 001's map over (c, α) by --layer; another rule's map needs its axes",
    ref,
    `derive its Jacobian's law at the teacher point and map it: learndyn phase ${ref} --over c,ALPHA --out DIR; or sample it: learndyn phase ${ref} --sampled`,
  );
}

export const phaseCommand: Command = {
  name: "phase",
  summary:
    "stability boundaries and phase diagrams: a rule's derived law, expression files, sampled and empirical (free probability)",
  usage: [
    "usage: learndyn phase curl-descent --layer hidden|readout|both --alphas a,b,... [--json] [--out DIR]",
    "                                   [--c-min X] [--c-max Y] [--nc N] [--nalpha N]",
    "       learndyn phase [RULE] --empirical SWEEP_DIR --out DIR [--layer L] [--json]",
    "       learndyn phase RULE --sampled --grid 'c=LO:HI:N,ALPHA=a|b' [--sizes 'T=220|440'] [--set NAME=V]...",
    "                                     [--derive NAME=EXPR]... [--seeds K] [--field F] --out DIR [--json]",
    "       learndyn phase FILE.matrix --over X,Y --out DIR [--x-range LO:HI] [--y-range LO:HI] [--nx N] [--ny N]",
    "                                  [--x-scale log|linear] [--set NAME=V]... [--json]",
    "       learndyn phase RULE --over X,Y --out DIR [the options of FILE.matrix]",
    "       learndyn phase FILE.matrix --sampled --grid 'X=LO:HI:N[,Y=a|b]' --sizes 'DIM=s1|s2|...' [--seeds K]",
    "                                  [--seed S] [--set NAME=V]... [--extrapolate-exponent P] --out DIR [--json]",
    "",
    "  --layer L     hidden (α_h), readout (α_r) or both (α_h = α_r = α)",
    "  --alphas      flip fractions in [0, 1] for the boundary table (default 0, 0.1, ..., 1)",
    "  --c-min/max   range of c = M/N (default 0.01 to 100); c* = null when no crossing in it",
    "  --out DIR     also write phase-<layer>.{json,csv,svg,png}: the map on an nc × nalpha grid",
    "  --nc, --nalpha  grid sizes (default 400 × 401; at most 16 million points)",
    "  --npz         with --out, also phase-<layer>.npz for NumPy: c, alpha, lowerEdge and stable",
    "                [nalpha, nc] (stable: 1, 0, -1 failed), boundaryAlpha, boundaryCStar",
    "  --cs c1,c2    also the critical fraction α*(c) at these c (key alphaStar)",
    "  --sample M    check each c* with sampled X at M inputs at c*/1.5 and 1.5c* (key sampleCheck)",
    "  --seed S      seed of those samples (default 1)",
    "  --empirical D a merged sweep over two grid axes: the mean final test error per cell (log10",
    "                colours), with seed 001's analytic c*(α) over it where it exists, written as",
    "                empirical-<layer>.{json,csv,svg,png} (with the boundary) or",
    "                empirical-<rule>-<x>-<y>.{json,csv,svg,png}. A network-rule sweep (sweep plan",
    "                --rule RULE --grid 'X=...,Y=...'): X horizontal, Y vertical; the boundary is drawn",
    "                for seed 001's curl descent over c and alphaH or alphaR (alphaR = 0, alphaH = 0, or",
    "                both equal), with sizes derived from c at a fixed M + N; RULE, when given, must be",
    "                the sweep's rule, and --layer, when given, the sweep's layer. A student-teacher",
    "                sweep: over c and the --layer's alpha (required) at fixed M + N. It runs nothing:",
    "                the backend was chosen by `learndyn sweep run D [--backend NAME]` (default auto:",
    "                the fastest one that passes the check against the float64 interpreter) and is",
    "                recorded per run (the JSON counts runs per backend)",
    "  --sampled     the boundary of any network rule from sampled Jacobians: at each point of the",
    "                grid's first axis (the ratio, e.g. c) and for each value of its second (e.g. a flip",
    "                fraction), the rightmost nonzero eigenvalue of the Jacobian at the teacher point over",
    "                --seeds seeds (default 5, from --seed); its crossing of 0 (the root of a quadratic",
    "                least-squares fit of the samples at the 8 grid points nearest the sign change, fewer",
    "                where a quadratic does not describe their means) with its standard error; with",
    "                --sizes NAME=v1|v2|..., one crossing per size and their extrapolation in M^(-2/3)",
    "                at the crossing, the Tracy-Widom scale of an edge eigenvalue (--extrapolate-in SIZE",
    "                to choose another size, --extrapolate-exponent P for M^(-P)). --from FILE estimates",
    "                the crossings of a recorded run (its JSON) again, without sampling, into --out",
    "                under the file's name.",
    "                Sizes come from --set and --derive (mathjs), e.g. for seed 001's grids at M + N = T:",
    "                --derive 'M=round(c*T/(1+c))' --derive 'N=T-M'. --field population (closed form,",
    "                default where the rule allows it) or training. With c = M/N the realized ratio of the",
    "                integer sizes is used. Seed 001's analytic c* is drawn over curl descent's. Writes",
    "                sampled-<rule>.{json,csv,svg,png}",
    "  FILE.matrix   a random-matrix expression (rules/spectra/*.matrix): its analytic stability map over",
    "                two of its params --over X,Y (stable where the lower edge of its limiting law is > 0,",
    "                the Jacobian's nonzero eigenvalues being minus the spectrum), X horizontal on",
    "                --x-range (default 0.01:100, --x-scale log by default), Y on --y-range (default 0:1),",
    "                --nx × --ny cells (default 200 × 200, at most 1000 each), the other params from --set",
    "                or the file; the boundary X*(Y) refined on every row; writes",
    "                phase-<file>-<X>-<Y>.{json,csv,svg,png}",
    "  RULE --over   a network rule's Jacobian at its teacher point as a random-matrix law derived from",
    "                the rule file (linear phi, population field, a scalar error): written as",
    "                DIR/<rule>-teacher-point.matrix (params c = M/N of the first layer, r_A for other",
    "                sizes, the rule's sign fractions) and mapped as FILE.matrix; a rule it cannot reduce",
    "                is refused with the reason. --set NAME=V sets the rule (a choice, size or parameter)",
    "                or else a param of the law; --sample N [--seed S] draws the rule (smallest dimension N) on",
    "                either side of each crossing and checks the teacher point's stability there",
    "  FILE.matrix --sampled  the same boundary from sampled matrices, for a self-adjoint expression:",
    "                at each X of --grid (and each value of its optional second axis Y), at each side",
    "                of --sizes (a dim whose size does not depend on X, e.g. N1=250|500|1000), the",
    "                lowest eigenvalue of the sampled matrix over --seeds seeds (default 8; matrix-free",
    "                restarted Lanczos, error bounded by its residual, ~1e-5 ‖X‖); per size the crossing",
    "                of the mean through 0 with its standard error, their extrapolation in side^(-2/3)",
    "                (--extrapolate-exponent P for side^(-P)), the analytic X* of the same file and the",
    "                deviation in standard errors. Sides are capped at SAMPLE_MAX_SIDE (8000) and",
    "                refused beyond it before sampling. Writes sampled-<file>.{json,csv} and per Y",
    "                value sampled-<file>-<Y>-<v>.{svg,png}: mean λ_min vs X per size, the analytic",
    "                lower edge, X* and the extrapolated crossing",
    "  --json        one JSON object {boundary: [{alpha, cStar, status}], alphaStar?, files?}",
  ].join("\n"),
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        layer: { type: "string" },
        alphas: { type: "string" },
        "c-min": { type: "string" },
        "c-max": { type: "string" },
        nc: { type: "string" },
        nalpha: { type: "string" },
        out: { type: "string" },
        npz: { type: "boolean" },
        cs: { type: "string" },
        sample: { type: "string" },
        seed: { type: "string" },
        empirical: { type: "string" },
        backend: { type: "string" },
        sampled: { type: "boolean" },
        grid: { type: "string", multiple: true },
        sizes: { type: "string" },
        set: { type: "string", multiple: true },
        derive: { type: "string", multiple: true },
        seeds: { type: "string" },
        field: { type: "string" },
        "extrapolate-in": { type: "string" },
        "extrapolate-exponent": { type: "string" },
        from: { type: "string" },
        over: { type: "string" },
        "x-range": { type: "string" },
        "y-range": { type: "string" },
        nx: { type: "string" },
        ny: { type: "string" },
        "x-scale": { type: "string" },
        json: { type: "boolean", default: false },
      },
    });
    if (values.backend !== undefined) {
      throw new InvalidArgumentError(
        "phase",
        "--backend",
        "absent: phase computes its boundaries on the CPU and --empirical reads finished runs",
        values.backend,
        "choose where simulations run with `learndyn sweep run SWEEP_DIR --backend NAME`",
      );
    }
    if (values.out !== undefined) outputFolderOption("phase", "--out", values.out);
    if (positionals.length === 1 && positionals[0]!.endsWith(".matrix") && values.sampled) {
      refuseGiven(
        values,
        [
          "layer",
          "alphas",
          "c-min",
          "c-max",
          "nc",
          "nalpha",
          "npz",
          "cs",
          "sample",
          "empirical",
          "derive",
          "field",
          "extrapolate-in",
          "from",
          "over",
          "x-range",
          "y-range",
          "nx",
          "ny",
          "x-scale",
        ],
        "absent with an expression file and --sampled (its axes are --grid, its sizes --sizes, its other params --set)",
      );
      if (values.out === undefined)
        throw new InvalidArgumentError("phase", "--out", "a directory for the files of --sampled", "nothing");
      if (values.grid === undefined)
        throw new InvalidArgumentError(
          "phase",
          "--grid",
          "the x axis (and a curve axis) with --sampled",
          "nothing",
        );
      return expressionSampledCommand(
        positionals[0]!,
        {
          grid: values.grid,
          ...(values.sizes !== undefined ? { sizes: values.sizes } : {}),
          set: values.set ?? [],
          seeds: numberOption("phase", "seeds", values.seeds, { integer: true, min: 2, max: 1000 }, 8),
          seed: numberOption("phase", "seed", values.seed, { integer: true, min: 0, max: 2 ** 32 - 1000 }, 1),
          ...(values["extrapolate-exponent"] !== undefined
            ? {
                exponent: numberOption("phase", "extrapolate-exponent", values["extrapolate-exponent"], {
                  greaterThan: 0,
                }),
              }
            : {}),
          out: values.out,
          json: values.json,
        },
        io,
      );
    }
    // The analytic map of an expression file or of a rule's derived law: the options of the
    // other forms are refused by name.
    const notWithMap = [
      ...["layer", "alphas", "c-min", "c-max", "nc", "nalpha", "npz", "cs", "empirical", "sampled"],
      ...["grid", "sizes", "derive", "seeds", "field", "extrapolate-in", "extrapolate-exponent", "from"],
    ];
    const mapOptions = {
      over: values.over,
      xRange: values["x-range"],
      yRange: values["y-range"],
      nx: values.nx,
      ny: values.ny,
      xScale: values["x-scale"],
      set: values.set ?? [],
      out: values.out,
      json: values.json,
    };
    if (positionals.length === 1 && positionals[0]!.endsWith(".matrix")) {
      refuseGiven(
        values,
        [...notWithMap, "sample", "seed"],
        "absent with an expression file (its axes are --over, its other params --set)",
      );
      return expressionPhaseCommand(positionals[0]!, mapOptions, io);
    }
    if (positionals.length === 1 && values.over !== undefined) {
      refuseGiven(
        values,
        notWithMap,
        "absent with --over (the map's axes are --over, the rule's and the law's values --set)",
      );
      return ruleLawPhaseCommand(
        positionals[0]!,
        { ...mapOptions, sample: values.sample, seed: values.seed },
        io,
      );
    }
    refuseGiven(
      values,
      ["over", "x-range", "y-range", "nx", "ny", "x-scale"],
      "given only with an expression file (FILE.matrix) or a rule's law (RULE --over)",
    );
    if (values.sampled) {
      const other = (
        ["empirical", "layer", "alphas", "c-min", "c-max", "nc", "nalpha", "cs", "sample", "npz"] as const
      ).find((name) => values[name] !== undefined);
      if (other !== undefined) {
        throw new InvalidArgumentError(
          "phase",
          `--${other}`,
          "absent with --sampled (its grid is --grid)",
          values[other],
        );
      }
      if (positionals.length !== 1) {
        throw new InvalidArgumentError(
          "phase",
          "RULE",
          "one network rule with --sampled",
          positionals.join(" ") || "nothing",
        );
      }
      if (values.out === undefined)
        throw new InvalidArgumentError("phase", "--out", "a directory for the files of --sampled", "nothing");
      if (values.from !== undefined) {
        // A recorded run carries its grid, sizes and seeds: options that would sample are refused.
        const sampling = (["grid", "sizes", "set", "derive", "seeds", "seed", "field"] as const).find(
          (name) => values[name] !== undefined,
        );
        if (sampling !== undefined)
          throw new InvalidArgumentError(
            "phase",
            `--${sampling}`,
            "absent with --from (the recorded run's is used)",
            values[sampling],
          );
      } else if (values.grid === undefined)
        throw new InvalidArgumentError(
          "phase",
          "--grid",
          "the ratio axis (and a curve axis) with --sampled",
          "nothing",
        );
      const field = values.field;
      if (field !== undefined && field !== "population" && field !== "training") {
        throw new InvalidArgumentError("phase", "--field", "population or training", field);
      }
      return sampledPhase(
        loadNetworkRule(positionals[0]!),
        {
          grid: values.grid ?? [],
          ...(values.sizes !== undefined ? { sizes: values.sizes } : {}),
          set: Object.fromEntries((values.set ?? []).map((t) => assignmentOption("phase", "set", t))),
          derive: values.derive ?? [],
          seeds: numberOption("phase", "seeds", values.seeds, { integer: true, min: 2, max: 1000 }, 5),
          seed: numberOption("phase", "seed", values.seed, { integer: true, min: 0, max: 2 ** 32 - 1000 }, 1),
          ...(field !== undefined ? { field } : {}),
          ...(values["extrapolate-in"] !== undefined ? { extrapolateIn: values["extrapolate-in"] } : {}),
          ...(values["extrapolate-exponent"] !== undefined
            ? {
                extrapolateExponent: numberOption(
                  "phase",
                  "extrapolate-exponent",
                  values["extrapolate-exponent"],
                  {
                    greaterThan: 0,
                  },
                ),
              }
            : {}),
          ...(values.from !== undefined ? { from: values.from } : {}),
          out: values.out,
          json: values.json,
        },
        io,
      );
    }
    refuseGiven(
      values,
      ["grid", "sizes", "set", "derive", "seeds", "field", "extrapolate-in", "extrapolate-exponent", "from"],
      "given only with --sampled",
    );
    if (values.empirical !== undefined) {
      // The empirical diagram's grid is the sweep's; options that shape the analytic map would be ignored.
      const analyticOnly = (
        ["alphas", "c-min", "c-max", "nc", "nalpha", "cs", "sample", "seed", "npz"] as const
      ).filter((name) => values[name] !== undefined);
      if (analyticOnly.length > 0) {
        throw new InvalidArgumentError(
          "phase",
          `--${analyticOnly[0]}`,
          "absent with --empirical (the grid and seeds are the sweep's)",
          values[analyticOnly[0]!],
          "set the grid when planning the sweep: learndyn sweep plan --grid ...",
        );
      }
      return empirical(values.empirical, positionals, values.layer, values.out, values.json, io);
    }
    if (positionals.length === 1 && positionals[0] !== "curl-descent") refuseRuleWithoutLaw(positionals[0]!);
    requireModel("phase", positionals);
    const layer = requireLayer("phase", values.layer);
    // Options of a part that does not run would be ignored: refuse them by name.
    for (const [name, needs] of [
      ["seed", "sample"],
      ["nc", "out"],
      ["nalpha", "out"],
      ["npz", "out"],
    ] as const) {
      if (values[name] !== undefined && values[needs] === undefined) {
        throw new InvalidArgumentError("phase", `--${name}`, `given only with --${needs}`, values[name]);
      }
    }
    const alphas =
      values.alphas === undefined
        ? Array.from({ length: 11 }, (_, k) => k / 10)
        : numberListOption("phase", "alphas", values.alphas, { min: 0, max: 1 });
    const cMin = numberOption("phase", "c-min", values["c-min"], { greaterThan: 0 }, 0.01);
    const cMax = numberOption("phase", "c-max", values["c-max"], { greaterThan: cMin }, 100);
    const boundary = boundaryCurve(layer, alphas, cMin, cMax);
    const result: Record<string, unknown> = { model: "curl-descent", layer, cRange: [cMin, cMax], boundary };
    if (values.sample !== undefined) {
      const M = numberOption("phase", "sample", values.sample, { integer: true, min: 2, max: 2000 });
      const seed = numberOption("phase", "seed", values.seed, { integer: true }, 1);
      result.sampleCheck = boundary.map((b, k) => {
        if (b.cStar === null) return { alpha: b.alpha, check: null };
        const { alphaH, alphaR } = layerAlphas(layer, b.alpha);
        return {
          alpha: b.alpha,
          M,
          check: checkBoundaryBySampling(b.cStar, alphaH, alphaR, M, seed + 2 * k),
        };
      });
    }
    if (values.cs !== undefined) {
      result.alphaStar = numberListOption("phase", "cs", values.cs, { greaterThan: 0 }).map((c) => {
        const r = criticalAlpha(c, layer);
        return { c, alphaStar: r.value, status: r.failure ? `${r.status}: ${r.failure}` : r.status };
      });
    }
    if (values.out !== undefined) {
      const nc = numberOption("phase", "nc", values.nc, { integer: true, min: 2 }, 400);
      const nalpha = numberOption("phase", "nalpha", values.nalpha, { integer: true, min: 2 }, 401);
      const t0 = performance.now();
      const d = writePhaseDiagram(values.out, layer, { cMin, cMax, nc, nalpha, npz: values.npz === true });
      result.files = d.files;
      result.mapSeconds = (performance.now() - t0) / 1000;
      result.mapFailures = d.map.failures;
    }
    if (values.json) {
      io.out(toJson(result));
      return 0;
    }
    io.out(
      `curl descent, ${layer === "both" ? "both layers" : `${layer} layer`}: critical ratio c*(α) (stable for c < c*)`,
    );
    io.out("  alpha      c*            status");
    const checks = (result.sampleCheck ?? []) as { check: BoundaryCheck | null }[];
    const agreement = (k: number) => {
      const ch = checks[k]?.check;
      if (!ch) return "";
      const f = (x: number) => x.toPrecision(3);
      const verdict = ch.agrees ? "agrees" : "DISAGREES";
      return `   sampled λ_min ${f(ch.below.smallestEigenvalue)} at c*/1.5, ${f(ch.above.smallestEigenvalue)} at 1.5c*: ${verdict}`;
    };
    for (const [k, b] of boundary.entries()) {
      const cStar = String(b.cStar?.toPrecision(6) ?? "—");
      io.out(`  ${b.alpha.toFixed(4).padEnd(10)} ${cStar.padEnd(13)} ${b.status.padEnd(10)}${agreement(k)}`);
    }
    for (const a of (result.alphaStar ?? []) as { c: number; alphaStar: number | null; status: string }[]) {
      io.out(
        `  at c = ${a.c}: α* = ${a.alphaStar === null ? "—" : a.alphaStar.toPrecision(6)} (${a.status})`,
      );
    }
    if (result.files) io.out(`written: ${(result.files as string[]).join(", ")}`);
    return 0;
  },
};

/**
 * `phase --empirical`: reads a merged sweep and writes the empirical diagram's files. A
 * network-rule sweep may name its rule as the positional argument and its layer with --layer; a
 * student-teacher sweep needs --layer (and the model, when given, is curl-descent).
 */
async function empirical(
  sweepDir: string,
  positionals: string[],
  layerOption: string | undefined,
  out: string | undefined,
  json: boolean,
  io: CliIO,
): Promise<number> {
  if (out === undefined) {
    throw new InvalidArgumentError(
      "phase",
      "--out",
      "a directory for the empirical diagram's files",
      "nothing",
    );
  }
  const { plan, merged } = loadMergedSweep(sweepDir);
  const layer: Layer | undefined = layerOption === undefined ? undefined : requireLayer("phase", layerOption);
  let d: ReturnType<typeof empiricalPhaseDiagram>;
  if (plan.task === "network-rule") {
    const named = positionals[0];
    const rule = ruleEmpiricalPhaseDiagram(plan, merged, layer);
    if (positionals.length > 1 || (named !== undefined && named !== rule.rule && named !== plan.rule?.ref)) {
      throw new InvalidArgumentError(
        "phase",
        "rule",
        `absent or the sweep's rule (${rule.rule})`,
        positionals.join(" "),
      );
    }
    d = rule;
  } else {
    requireModel("phase", positionals.length === 0 ? ["curl-descent"] : positionals);
    d = empiricalPhaseDiagram(merged, requireLayer("phase", layerOption));
  }
  const files = writeEmpiricalPhaseDiagram(out, d, { sweepDir });
  const b = d.boundary;
  if (json) {
    io.out(
      toJson({
        rule: d.rule,
        x: d.x.name,
        y: d.y.name,
        layer: b?.layer ?? null,
        ...(b ? { total: b.total } : {}),
        counts: d.counts,
        backends: d.backends,
        notes: d.notes,
        files,
      }),
    );
    return 0;
  }
  const backends = Object.entries(d.backends)
    .map(([k, v]) => `${v} on ${k}`)
    .join(", ");
  const what = b
    ? `${b.layer === "both" ? "both layers" : `${b.layer} layer`}, M + N = ${b.total}`
    : `${d.rule} over (${d.x.name}, ${d.y.name})`;
  io.out(
    `empirical phase diagram, ${what}: ${d.x.values.length} ${d.x.name} × ${d.y.values.length} ${d.y.name} cells, ` +
      `${d.counts.runs} runs (${backends}), ${d.counts.failedRuns} failed, ${d.counts.noValueCells} cells without a value`,
  );
  for (const note of d.notes) io.out(`  ${note}`);
  io.out(`written: ${Object.values(files).join(", ")}`);
  return 0;
}

/**
 * The demo step: analytic phase diagrams of the hidden layer, the readout layer and both at once
 * (seed 001, Fig. 2), written to `<outDir>/phase-<layer>.{json,csv,svg,png}`, with the boundary
 * tables printed.
 */
export const phaseDiagramDemoStep: DemoStep = {
  name: "analytic phase diagrams of curl descent (seed 001, Fig. 2)",
  run({ outDir, io }) {
    for (const layer of ["hidden", "readout", "both"] as const) {
      const t0 = performance.now();
      const d = writePhaseDiagram(outDir, layer, {
        boundaryAlphas: Array.from({ length: 201 }, (_, k) => k / 200),
      });
      const seconds = (performance.now() - t0) / 1000;
      io.out(
        `${layer === "both" ? "both layers" : `${layer} layer`}: critical ratio c*(α), stable for c < c* (map ${d.map.c.length}×${d.map.alpha.length} in ${seconds.toFixed(2)} s, ${d.map.failures.length} failed points)`,
      );
      for (const b of d.boundary.filter((_, k) => k % 20 === 0)) {
        io.out(
          `  α = ${b.alpha.toFixed(2)}  c* = ${b.cStar === null ? "—" : b.cStar.toPrecision(4)}  (${b.status})`,
        );
      }
      io.out(`  (written to ${d.files.join(", ")})`);
    }
    for (const [name, p] of [
      ["spectrum-hidden", { c: 0.5, alphaH: 0.3, alphaR: 0 }],
      ["spectrum-both", { c: 3, alphaH: 0.2, alphaR: 0.3 }],
    ] as const) {
      const s = writeSpectrumFigure(outDir, name, p, 600, 7);
      io.out(
        `spectrum of X at c = ${p.c}, α_h = ${p.alphaH}, α_r = ${p.alphaR}: predicted lower edge ${s.lowerEdge?.toPrecision(6)} (given the sample's ‖W2‖² = ${s.w2NormSquared.toPrecision(4)}), sampled λ_min ${s.smallestEigenvalue.toPrecision(6)} (M = 600)`,
      );
      io.out(`  (written to ${s.files.join(", ")})`);
    }
    const comparison = compareHiddenQuartic();
    const agrees = comparison.every((r) => r.difference === "0");
    const path = join(outDir, "paper-quartic.json");
    writeJson(path, {
      claim: "seed 001, eqs. 115-122: the quartic P_x(ω) whose double roots give the hidden-layer edges",
      derivation: "c²(1 − ω)²(A² − R) from B_X(ω) = x, eqs. 113-116, computed exactly",
      coefficients: comparison,
      agreesWithPaper: agrees,
      edgePolynomialDegreeInX: hiddenEdgePolynomial().degree("x"),
      notes: [
        "eq. 110 states R_S from R_{aX}(w) = aR_X(aw) 'with a = c'; the result 1/(c(1 − w)) needs a = 1/c (S = MP(c) scaled by 1/c)",
        "the text after eq. 104 writes X := D1 + W1W1ᵀ; the dimensions (and eq. 101) need W1ᵀW1 (M × M)",
        "section B.4.1's title writes D2 = I_M; D2 is N × N",
        "eliminating ω from eq. 125 directly gives a1²·disc(P/ω): the factor a1² is the spurious double root ω = 0",
      ],
    });
    io.out(
      `paper quartic (eqs. 118-122): ${agrees ? "all coefficients agree with the exact derivation" : "differs, see file"}`,
    );
    io.out(`  (written to ${path})`);
  },
};

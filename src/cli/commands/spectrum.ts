/**
 * `learndyn spectrum curl-descent --c C --alpha-h A --alpha-r B [--json] [--sample M]`: the
 * limiting spectrum of X = ‖W2‖²D1 + W1ᵀD2W1 on the solution manifold (seed 001, appendix B.4),
 * its edges, atoms and stability, optionally compared with one sampled matrix.
 */
import { parseArgs } from "node:util";
import { curlDescentLowerEdge, curlDescentSpectrum } from "../../phase/curl-descent-law.ts";
import { sampleManifoldSpectrum } from "../../phase/sampled-spectrum.ts";
import { loadNetworkRule } from "../../rules/load.ts";
import { kolmogorovSmirnov, spectralDistribution, wasserstein1 } from "../../spectra/distribution.ts";
import { BROWN_GRID_MAX, BROWN_GRID_MIN } from "../../spectra/free/brown-map.ts";
import { freeSumMoments } from "../../spectra/free-convolution.ts";
import { spectralSupport } from "../../spectra/support.ts";
import { InvalidArgumentError, NumericFailureError } from "../../util/errors.ts";
import { toJson } from "../../util/io.ts";
import { writeNpz } from "../../util/npy.ts";
import { assignmentOption, numberOption } from "../args.ts";
import type { Command } from "../command.ts";
import { outputFolderOption } from "../output-path.ts";
import { BROWN_GRID_DEFAULT } from "./spectrum-brown.ts";
import { expressionSpectrum } from "./spectrum-expression.ts";
import { sampledSpectrum } from "./spectrum-sampled.ts";

export const MODELS = ["curl-descent"] as const;

/** Checks the positional model name. */
export function requireModel(command: string, positionals: string[]): void {
  if (positionals.length !== 1 || positionals[0] !== "curl-descent") {
    throw new InvalidArgumentError(
      command,
      "model",
      `exactly one model name (${MODELS.join(", ")})`,
      positionals.length === 0 ? "none" : positionals.join(" "),
    );
  }
}

/** `--grid N`: the side of the Brown density grid, bounded so a run takes seconds to half a minute. */
function gridOption(value: string): number {
  const n = numberOption("spectrum", "grid", value, { integer: true, min: BROWN_GRID_MIN });
  if (n > BROWN_GRID_MAX)
    throw new InvalidArgumentError(
      "spectrum",
      "--grid",
      `an integer from ${BROWN_GRID_MIN} to ${BROWN_GRID_MAX}`,
      value,
      `N² cells at a few milliseconds each: ${BROWN_GRID_MAX}² takes about half a minute`,
    );
  return n;
}

export const spectrumCommand: Command = {
  name: "spectrum",
  summary:
    "limiting spectra of Jacobians and random-matrix expressions (Hermitian, Brown measure, Haar rotations), sampled beside them",
  usage: [
    "usage: learndyn spectrum curl-descent --c C [--alpha-h A] [--alpha-r B] [--json] [--sample M] [--seed S]",
    "",
    "  --c C         ratio M/N of inputs to hidden units, > 0",
    "  --alpha-h A   fraction of flipped inputs of the hidden layer (D1), in [0, 1] (default 0)",
    "  --alpha-r B   fraction of flipped hidden units in the readout (D2), in [0, 1] (default 0)",
    "  --sample M    also sample X at M inputs (N = round(M/c)) and compare (M ≤ 3000)",
    "  --seed S      seed of the sample (default 1)",
    "  --json        one JSON object: lowerEdge, edges, intervals, atoms, stable, moments, sample",
    "  --npz FILE    also write the arrays for NumPy: edges [k], intervals [k, 2], atomLocations,",
    "                atomMasses, and with --sample the sampled eigenvalues [M] (ascending)",
    "",
    "usage: learndyn spectrum FILE.matrix [--set NAME=V]... [--sample N] [--seed S] [--json]",
    "       learndyn spectrum FILE.matrix [--set NAME=V]... [--grid N] [--out DIR] [--json]   (not self-adjoint)",
    "",
    "  FILE.matrix   a random-matrix expression (rules/spectra/*.matrix): its limiting law by linearization",
    "                and the operator-valued fixed point (edges, intervals, atoms, density on a grid);",
    "                --set overrides its params, --sample N compares a sample with spaces of N·size rows;",
    "                a sum R + Σ U X Uᵀ with U haar(N) is a free additive convolution (free rotations)",
    "                A non-self-adjoint expression X gets its Brown measure by hermitization: the spectral",
    "                abscissa (max Re λ of the support; ẋ = X x is stable iff it is < 0), the leftmost point",
    "                (ẋ = −X x is stable iff it is > 0), the support's extent and the density on a grid",
    `  --grid N      side of that density grid, ${BROWN_GRID_MIN} to ${BROWN_GRID_MAX} (default ${BROWN_GRID_DEFAULT}; 41² takes seconds)`,
    "  --out DIR     write brown-<file>.json and the figure brown-<file>.svg/.png (density heatmap,",
    "                support boundary, spectral abscissa) into DIR",
    "",
    "usage: learndyn spectrum RULE --sampled --sizes 'NAME=v1|v2|...' [--set NAME=V]... [--derive NAME=EXPR]...",
    "                          [--seeds K] [--seed S] [--field population|training] [--bins B] [--out DIR] [--json]",
    "",
    "  --sampled     the nonzero spectrum of any network rule's Jacobian at its teacher point, over seeds,",
    "                at each size of --sizes (other sizes from --set and --derive, e.g. --derive",
    "                'N=round(M/0.5)'): histogram of the real parts, the rightmost eigenvalue's mean and",
    "                standard error, its extrapolation in 1/size; with the population field, the",
    "                prediction of the law derived from the rule (phase RULE --over) beside it",
  ].join("\n"),
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        c: { type: "string" },
        sampled: { type: "boolean" },
        sizes: { type: "string" },
        set: { type: "string", multiple: true },
        derive: { type: "string", multiple: true },
        seeds: { type: "string" },
        field: { type: "string" },
        bins: { type: "string" },
        out: { type: "string" },
        "alpha-h": { type: "string" },
        "alpha-r": { type: "string" },
        sample: { type: "string" },
        seed: { type: "string" },
        npz: { type: "string" },
        grid: { type: "string" },
        json: { type: "boolean", default: false },
      },
    });
    if (values.out !== undefined) outputFolderOption("spectrum", "--out", values.out);
    if (values.sampled) {
      if (values.npz !== undefined) {
        throw new InvalidArgumentError(
          "spectrum",
          "--npz",
          "absent with --sampled (its files are written by --out)",
          values.npz,
        );
      }
      const other = (["c", "alpha-h", "alpha-r", "sample", "grid"] as const).find(
        (k) => values[k] !== undefined,
      );
      if (other)
        throw new InvalidArgumentError(
          "spectrum",
          `--${other}`,
          "absent with --sampled (set the rule's names with --set)",
          values[other],
        );
      if (positionals.length !== 1)
        throw new InvalidArgumentError(
          "spectrum",
          "RULE",
          "one network rule with --sampled",
          positionals.join(" ") || "nothing",
        );
      if (values.sizes === undefined)
        throw new InvalidArgumentError(
          "spectrum",
          "--sizes",
          "the size series, e.g. 'M=50|100|200'",
          "nothing",
        );
      const field = values.field;
      if (field !== undefined && field !== "population" && field !== "training") {
        throw new InvalidArgumentError("spectrum", "--field", "population or training", field);
      }
      return sampledSpectrum(
        loadNetworkRule(positionals[0]!),
        {
          sizes: values.sizes,
          set: Object.fromEntries((values.set ?? []).map((t) => assignmentOption("spectrum", "set", t))),
          derive: values.derive ?? [],
          seeds: numberOption("spectrum", "seeds", values.seeds, { integer: true, min: 2, max: 1000 }, 5),
          seed: numberOption(
            "spectrum",
            "seed",
            values.seed,
            { integer: true, min: 0, max: 2 ** 32 - 1000 },
            1,
          ),
          ...(field !== undefined ? { field } : {}),
          ...(values.bins !== undefined
            ? { bins: numberOption("spectrum", "bins", values.bins, { integer: true, min: 2, max: 1000 }) }
            : {}),
          ...(values.out !== undefined ? { out: values.out } : {}),
          json: values.json,
        },
        io,
      );
    }
    if (positionals.length === 1 && positionals[0]!.endsWith(".matrix")) {
      const other = (
        ["c", "alpha-h", "alpha-r", "sizes", "derive", "seeds", "field", "bins", "npz"] as const
      ).find((k) => values[k] !== undefined);
      if (other)
        throw new InvalidArgumentError(
          "spectrum",
          `--${other}`,
          "absent with an expression file (set its params with --set)",
          values[other],
        );
      const params: Record<string, number> = {};
      for (const t of values.set ?? []) {
        const [k, v] = assignmentOption("spectrum", "set", t);
        if (typeof v !== "number")
          throw new InvalidArgumentError("spectrum", "--set", "NAME=NUMBER for an expression's param", t);
        params[k] = v;
      }
      return expressionSpectrum(
        positionals[0]!,
        {
          params,
          ...(values.sample !== undefined
            ? {
                sample: numberOption("spectrum", "sample", values.sample, {
                  integer: true,
                  min: 10,
                  max: 3000,
                }),
              }
            : {}),
          ...(values.seed !== undefined
            ? {
                seed: numberOption("spectrum", "seed", values.seed, {
                  integer: true,
                  min: 0,
                  max: 2 ** 32 - 1000,
                }),
              }
            : {}),
          ...(values.grid !== undefined ? { grid: gridOption(values.grid) } : {}),
          ...(values.out !== undefined ? { out: values.out } : {}),
          json: values.json,
        },
        io,
      );
    }
    const networkOnly = (["sizes", "set", "derive", "seeds", "field", "bins", "out"] as const).find(
      (k) => values[k] !== undefined,
    );
    if (networkOnly)
      throw new InvalidArgumentError(
        "spectrum",
        `--${networkOnly}`,
        "given only with --sampled",
        values[networkOnly],
      );
    if (values.grid !== undefined)
      throw new InvalidArgumentError(
        "spectrum",
        "--grid",
        "given only with a non-self-adjoint FILE.matrix",
        values.grid,
      );
    requireModel("spectrum", positionals);
    if (values.seed !== undefined && values.sample === undefined) {
      throw new InvalidArgumentError("spectrum", "--seed", "given only with --sample", values.seed);
    }
    const c = numberOption("spectrum", "c", values.c, { greaterThan: 0 });
    const alphaH = numberOption("spectrum", "alpha-h", values["alpha-h"], { min: 0, max: 1 }, 0);
    const alphaR = numberOption("spectrum", "alpha-r", values["alpha-r"], { min: 0, max: 1 }, 0);
    const p = { c, alphaH, alphaR };
    const edge = curlDescentLowerEdge(p);
    if (!edge.ok) throw new NumericFailureError("spectrum", `lower edge: ${edge.reason}`, p);
    const sum = curlDescentSpectrum(p);
    const [m1, m2] = freeSumMoments(sum);
    // The full support needs polynomial roots, which can fail to converge for bands of tiny
    // mass; the lower edge (and stability) does not depend on it, so such a failure is reported
    // alongside instead of replacing the answer.
    let support: ReturnType<typeof spectralSupport> | null = null;
    let supportError: string | undefined;
    try {
      support = spectralSupport(sum);
    } catch (e) {
      if (!(e instanceof NumericFailureError)) throw e;
      supportError = e.message;
    }
    const result: Record<string, unknown> = {
      model: "curl-descent",
      c,
      alphaH,
      alphaR,
      lowerEdge: edge.edge,
      edgeKind: edge.kind,
      edges: support ? support.edges.map((e) => e.x) : null,
      intervals: support ? support.intervals : null,
      atoms: support ? support.atoms : null,
      ...(supportError ? { supportError } : {}),
      stable: edge.edge > 0,
      maxJacobianEigenvalue: -edge.edge,
      moments: { mean: m1, variance: m2 - m1 * m1 },
    };
    let sampled: ArrayLike<number> | undefined;
    if (values.sample !== undefined) {
      const M = numberOption("spectrum", "sample", values.sample, { integer: true, min: 2, max: 3000 });
      const seed = numberOption("spectrum", "seed", values.seed, { integer: true }, 1);
      const s = sampleManifoldSpectrum(p, M, seed);
      sampled = s.eigenvalues;
      const given = { ...p, w2NormSquared: s.w2NormSquared };
      const givenSum = curlDescentSpectrum(given);
      const givenSupport = spectralSupport(givenSum);
      const dist = spectralDistribution(givenSum, givenSupport);
      const pts = [...givenSupport.edges.map((e) => e.x), ...givenSupport.atoms.map((a) => a.location)];
      const givenEdge = curlDescentLowerEdge(given);
      result.sample = {
        M,
        N: s.N,
        seed,
        w2NormSquared: s.w2NormSquared,
        smallestEigenvalue: s.eigenvalues[0],
        stable: s.eigenvalues[0]! > 0,
        lowerEdgeGivenW2: givenEdge.ok ? givenEdge.edge : null,
        kolmogorovSmirnov: kolmogorovSmirnov(s.eigenvalues, dist.cdf),
        wasserstein1: wasserstein1(s.eigenvalues, dist.cdf, Math.min(...pts), Math.max(...pts)),
      };
    }
    if (values.npz !== undefined) {
      const vector = (xs: ArrayLike<number>) => ({ data: xs, shape: [xs.length] });
      writeNpz(values.npz, {
        edges: vector(support ? support.edges.map((e) => e.x) : []),
        intervals: { data: (support?.intervals ?? []).flat(), shape: [support?.intervals.length ?? 0, 2] },
        atomLocations: vector(support ? support.atoms.map((a) => a.location) : []),
        atomMasses: vector(support ? support.atoms.map((a) => a.mass) : []),
        ...(sampled ? { eigenvalues: vector(sampled) } : {}),
      });
    }
    if (values.json) {
      io.out(toJson(result));
      return 0;
    }
    io.out(`curl descent, c = ${c}, α_h = ${alphaH}, α_r = ${alphaR}`);
    io.out(
      `  X = ‖W2‖²D1 + W1ᵀD2W1, lower edge ${edge.edge} (${edge.kind}): ${edge.edge > 0 ? "stable" : "unstable"}`,
    );
    if (support) {
      io.out(`  support: ${support.intervals.map(([a, b]) => `[${a}, ${b}]`).join(" ∪ ") || "(atoms only)"}`);
      for (const a of support.atoms) io.out(`  atom at ${a.location} of mass ${a.mass}`);
    } else io.out(`  support: not computed (${supportError})`);
    if (result.sample) io.out(`  sample: ${toJson(result.sample)}`);
    return 0;
  },
};

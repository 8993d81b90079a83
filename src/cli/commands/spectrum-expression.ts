/**
 * `learndyn spectrum FILE.matrix [--set NAME=V]... [--sample N] [--seed S] [--json]`: the
 * limiting law of a self-adjoint random-matrix expression written in the text form of
 * src/spectra/free/expression-parse.ts, by linearization and the operator-valued fixed point:
 * edges (validated by the density on both sides), intervals, atoms, the density on a grid, and
 * optionally a sampled matrix beside it. A non-self-adjoint expression goes to its Brown measure
 * (spectrum-brown.ts), where --grid and --out apply and --sample and --seed do not.
 */
import { readFileSync } from "node:fs";
import { kolmogorovSmirnov, spectralDistributionOf } from "../../spectra/distribution.ts";
import { type ParsedExpression, parseMatrixExpression } from "../../spectra/free/expression-parse.ts";
import {
  type FreeRotationSum,
  freeRotationSum,
  rotationSumDensity,
  rotationSumSupport,
} from "../../spectra/free/free-rotation.ts";
import { noncommutativePolynomial, selfAdjointDefect } from "../../spectra/free/noncommutative-polynomial.ts";
import { polynomialDensity, polynomialSpectrum } from "../../spectra/free/polynomial-spectrum.ts";
import { polynomialSupport } from "../../spectra/free/polynomial-support.ts";
import { sampledEigenvalues } from "../../spectra/free/sample.ts";
import { compareWithSamples } from "../../spectra/free/sampled-comparison.ts";
import { InvalidArgumentError, NumericFailureError } from "../../util/errors.ts";
import { toJson } from "../../util/io.ts";
import type { CliIO } from "../command.ts";
import { BROWN_GRID_DEFAULT, brownSpectrum } from "./spectrum-brown.ts";

export interface ExpressionSpectrumOptions {
  params: Record<string, number>;
  sample?: number;
  /** Seed of the sample (default 1). */
  seed?: number;
  /** Side of the Brown density grid (non-self-adjoint expressions only). */
  grid?: number;
  /** Folder for the Brown measure's files (non-self-adjoint expressions only). */
  out?: string;
  json: boolean;
}

export function expressionSpectrum(file: string, options: ExpressionSpectrumOptions, io: CliIO): number {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new InvalidArgumentError("spectrum", "FILE", "a readable .matrix file", file);
  }
  const parsed = parseMatrixExpression(text, { params: options.params, source: file });
  const defect = selfAdjointDefect(noncommutativePolynomial(parsed.expression));
  const refuse = (option: string, value: unknown, expected: string) => {
    throw new InvalidArgumentError("spectrum", option, expected, value);
  };
  if (defect !== null) {
    const why = `absent with a non-self-adjoint expression (${file}: ${defect}; its Brown measure has no sampled comparison here)`;
    if (options.sample !== undefined) refuse("--sample", options.sample, why);
    if (options.seed !== undefined) refuse("--seed", options.seed, why);
    return brownSpectrum(
      parsed.expression,
      {
        file,
        params: parsed.params,
        defect,
        grid: options.grid ?? BROWN_GRID_DEFAULT,
        ...(options.out !== undefined ? { out: options.out } : {}),
        json: options.json,
      },
      io,
    );
  }
  const onlyBrown = `given only with a non-self-adjoint expression (${file} is self-adjoint: its density is on the real line)`;
  if (options.grid !== undefined) refuse("--grid", options.grid, onlyBrown);
  if (options.out !== undefined) refuse("--out", options.out, onlyBrown);
  const rotations = freeRotationSum(parsed.expression);
  if (rotations) return rotationSpectrum(file, parsed, rotations, options, io);
  const s = polynomialSpectrum(parsed.expression);
  const support = polynomialSupport(s);
  const lo = support.intervals[0]?.[0] ?? Number.NaN;
  const hi = support.intervals[support.intervals.length - 1]?.[1] ?? Number.NaN;
  const density = Array.from({ length: 41 }, (_, k) => {
    const x = lo + ((hi - lo) * k) / 40;
    return [x, polynomialDensity(s, x)];
  });
  const result = {
    file,
    params: parsed.params,
    pencilSize: s.pencil.n,
    edges: support.edges.map((e) => ({ x: e.x, side: e.side })),
    intervals: support.intervals,
    atoms: support.atoms,
    lowerEdge: Math.min(lo, ...support.atoms.map((a) => a.location)),
    density,
    ...(options.sample !== undefined
      ? { sample: compareWithSamples(parsed.expression, options.sample, options.seed ?? 1) }
      : {}),
  };
  if (options.json) io.out(toJson(result));
  else {
    io.out(`${file}: linearization of size ${s.pencil.n}`);
    io.out(`support ${support.intervals.map(([a, b]) => `[${a}, ${b}]`).join(" ∪ ")}`);
    for (const a of support.atoms) io.out(`atom at ${a.location}, mass ${a.mass}`);
    if (result.sample)
      io.out(
        `sampled: λ ∈ [${result.sample.minEigenvalue}, ${result.sample.maxEigenvalue}], KS ${result.sample.kolmogorovSmirnov}`,
      );
  }
  return 0;
}

/**
 * A sum of free rotations R + Σ U X Uᵀ (Haar U): its law as the free additive convolution of the
 * parts' laws (free-rotation.ts), with --sample the KS distance to a sampled matrix.
 */
function rotationSpectrum(
  file: string,
  parsed: ParsedExpression,
  s: FreeRotationSum,
  options: ExpressionSpectrumOptions,
  io: CliIO,
): number {
  const params = parsed.params;
  const support = rotationSumSupport(s);
  const lo = support.intervals[0]?.[0] ?? Number.NaN;
  const hi = support.intervals.at(-1)?.[1] ?? Number.NaN;
  // A point where the subordination equations do not converge (next to an atom or a cusp) is
  // listed, its density null.
  const failures: { x: number; reason: string }[] = [];
  const densityAt = (x: number): number | null => {
    try {
      return rotationSumDensity(s, x);
    } catch (e) {
      if (!(e instanceof NumericFailureError)) throw e;
      failures.push({ x, reason: e.message });
      return null;
    }
  };
  const density = Array.from({ length: 41 }, (_, k) => {
    const x = lo + ((hi - lo) * k) / 40;
    return [x, densityAt(x)];
  });
  let sample:
    | { n: number; seed: number; kolmogorovSmirnov: number; minEigenvalue: number; maxEigenvalue: number }
    | undefined;
  if (options.sample !== undefined) {
    const seed = options.seed ?? 1;
    // An eigenvalue within 1e-6 (1 + |a|) of an atom a is put on it: a sampled Haar matrix is
    // orthogonal to about 1e-8 (Gram–Schmidt), which moves eigenvalues on an atom off it.
    const ev = Array.from(sampledEigenvalues(parsed.expression, options.sample, seed), (v) => {
      const atom = support.atoms.find((a) => Math.abs(v - a.location) < 1e-6 * (1 + Math.abs(a.location)));
      return atom ? atom.location : v;
    }).sort((a, b) => a - b);
    const dist = spectralDistributionOf((x) => densityAt(x) ?? 0, support, 200, "cubic");
    sample = {
      n: options.sample,
      seed,
      kolmogorovSmirnov: kolmogorovSmirnov(ev, dist.cdf),
      minEigenvalue: ev[0]!,
      maxEigenvalue: ev.at(-1)!,
    };
  }
  const result = {
    file,
    params,
    law: "free additive convolution of free rotations (Haar)",
    edges: support.edges.map((e) => ({ x: e.x, side: e.side })),
    intervals: support.intervals,
    atoms: support.atoms,
    lowerEdge: Math.min(lo, ...support.atoms.map((a) => a.location)),
    density,
    failures,
    ...(sample ? { sample } : {}),
  };
  if (options.json) io.out(toJson(result));
  else {
    io.out(
      `${file}: ${s.parts.length} free parts (Haar rotations), free additive convolution by subordination`,
    );
    io.out(`support ${support.intervals.map(([a, b]) => `[${a}, ${b}]`).join(" ∪ ") || "(atoms only)"}`);
    for (const a of support.atoms) io.out(`atom at ${a.location}, mass ${a.mass}`);
    if (sample)
      io.out(
        `sampled: λ ∈ [${sample.minEigenvalue}, ${sample.maxEigenvalue}], KS ${sample.kolmogorovSmirnov}`,
      );
  }
  return 0;
}

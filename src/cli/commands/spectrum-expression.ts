/**
 * `learndyn spectrum FILE.matrix [--set NAME=V]... [--sample N] [--seed S] [--json]`: the
 * limiting law of a self-adjoint random-matrix expression written in the text form of
 * src/spectra/free/expression-parse.ts, by linearization and the operator-valued fixed point:
 * edges (validated by the density on both sides), intervals, atoms, the density on a grid, and
 * optionally a sampled matrix beside it. A non-self-adjoint expression goes to its Brown measure
 * (spectrum-brown.ts), where --grid and --out apply and --sample and --seed do not.
 */
import { readFileSync } from "node:fs";
import { parseMatrixExpression } from "../../spectra/free/expression-parse.ts";
import { noncommutativePolynomial, selfAdjointDefect } from "../../spectra/free/noncommutative-polynomial.ts";
import { polynomialDensity, polynomialSpectrum } from "../../spectra/free/polynomial-spectrum.ts";
import { polynomialSupport } from "../../spectra/free/polynomial-support.ts";
import { compareWithSamples } from "../../spectra/free/sampled-comparison.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
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

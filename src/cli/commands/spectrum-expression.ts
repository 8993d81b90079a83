/**
 * `learndyn spectrum FILE.matrix [--set NAME=V]... [--sample N] [--seed S] [--json]`: the
 * limiting law of a self-adjoint random-matrix expression written in the text form of
 * src/spectra/free/expression-parse.ts, by linearization and the operator-valued fixed point:
 * edges (validated by the density on both sides), intervals, atoms, the density on a grid, and
 * optionally a sampled matrix beside it.
 */
import { readFileSync } from "node:fs";
import { parseMatrixExpression } from "../../spectra/free/expression-parse.ts";
import { polynomialDensity, polynomialSpectrum } from "../../spectra/free/polynomial-spectrum.ts";
import { polynomialSupport } from "../../spectra/free/polynomial-support.ts";
import { compareWithSamples } from "../../spectra/free/sampled-comparison.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { toJson } from "../../util/io.ts";
import type { CliIO } from "../command.ts";

export interface ExpressionSpectrumOptions {
  params: Record<string, number>;
  sample?: number;
  seed: number;
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
      ? { sample: compareWithSamples(parsed.expression, options.sample, options.seed) }
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

/**
 * `learndyn spectrum FILE.matrix [--set NAME=V]... [--grid N] [--out DIR] [--json]` for a
 * non-self-adjoint expression X: its Brown measure by hermitization (src/spectra/free/brown-map.ts):
 * the spectral abscissa (max Re λ over the support: a flow ẋ = X x is stable iff it is < 0), the
 * leftmost point (ẋ = −X x is stable iff it is > 0), the support's extent, and the density on an
 * N × N grid around the support, printed, and with --out written as JSON and a figure.
 */
import { basename } from "node:path";
import { writeBrownMeasure } from "../../report/brown-measure-figure.ts";
import { brownExtent, brownMap, brownRectangle } from "../../spectra/free/brown-map.ts";
import { brownMeasure } from "../../spectra/free/brown-measure.ts";
import type { MatrixExpr } from "../../spectra/free/expression.ts";
import { toJson } from "../../util/io.ts";
import type { CliIO } from "../command.ts";

/** Default side of the density grid. */
export const BROWN_GRID_DEFAULT = 41;

export interface BrownSpectrumOptions {
  file: string;
  params: Record<string, number>;
  /** Why the expression is not self-adjoint (selfAdjointDefect). */
  defect: string;
  grid: number;
  out?: string;
  json: boolean;
}

export function brownSpectrum(expression: MatrixExpr, o: BrownSpectrumOptions, io: CliIO): number {
  const b = brownMeasure(expression);
  const extent = brownExtent(b);
  const rect = brownRectangle(extent);
  const map = brownMap(b, rect.re, rect.im, o.grid);
  let top = 0;
  for (const p of map.boundary) top = Math.max(top, Math.abs(p.im));
  const stem = basename(o.file).replace(/\.matrix$/, "");
  const doc = {
    file: o.file,
    params: o.params,
    selfAdjoint: false,
    notSelfAdjointBecause: o.defect,
    measure: "Brown measure by hermitization",
    spectralAbscissa: extent.rightmost,
    spectralAbscissaAt: { re: extent.rightmost, im: [extent.rightmostAt, -extent.rightmostAt] },
    criterion:
      "ẋ = X x (Jacobian X) is stable iff spectralAbscissa < 0; ẋ = −X x (Jacobian −X) iff leftmost > 0",
    stableAsJacobian: extent.rightmost < 0,
    stableAsNegativeJacobian: extent.leftmost > 0,
    extent: {
      re: [extent.leftmost, extent.rightmost],
      imMax: top,
      imMaxNote:
        "largest |Im λ| of the boundary's crossings of the grid's columns: exact to the bisection tolerance on each column, a lower bound between columns",
      radiusBound: b.scale,
    },
    grid: {
      re: map.re,
      im: map.im,
      layout: "density[iy][ix] at re[ix] + i im[iy]; null where the fixed point failed",
      density: map.density.map((row) => row.map((v) => (Number.isNaN(v) ? null : v))),
      inSupport: map.inSupport,
    },
    boundary: map.boundary,
    boundaryTolerance: map.boundaryTolerance,
    failures: map.failures,
  };
  const files =
    o.out !== undefined
      ? writeBrownMeasure(o.out, doc, {
          stem,
          map,
          abscissa: extent.rightmost,
          abscissaAt: extent.rightmostAt,
        })
      : [];
  if (o.json) {
    io.out(toJson({ ...doc, files }));
    return 0;
  }
  io.out(`${o.file}: not self-adjoint (${o.defect}): Brown measure by hermitization`);
  io.out(
    `spectral abscissa ${extent.rightmost} at ${extent.rightmost} ± ${extent.rightmostAt}i: ẋ = X x is ${extent.rightmost < 0 ? "stable" : "unstable"}`,
  );
  io.out(
    `leftmost point ${extent.leftmost} at ${extent.leftmost} ± ${extent.leftmostAt}i: ẋ = −X x is ${extent.leftmost > 0 ? "stable" : "unstable"}`,
  );
  io.out(
    `support within Re λ ∈ [${extent.leftmost}, ${extent.rightmost}], |Im λ| ≤ ${top} (on the grid's columns)`,
  );
  io.out(
    `density on a ${o.grid}×${o.grid} grid over [${rect.re[0]}, ${rect.re[1]}] × [${rect.im[0]}, ${rect.im[1]}]i, max ${Math.max(...map.density.flat().filter(Number.isFinite))}`,
  );
  if (map.failures.length > 0)
    io.out(`${map.failures.length} point(s) failed, first: ${map.failures[0]!.message}`);
  if (files.length > 0) io.out(`written: ${files.join(", ")}`);
  return 0;
}

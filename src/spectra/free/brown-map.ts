/**
 * The Brown measure of a non-self-adjoint expression mapped over a rectangle of the complex plane
 * (src/spectra/free/brown-measure.ts): the support's extent, the density and the support test on
 * an n × n grid of cell centres, and the support boundary where each grid row and column crosses
 * it, refined by bisection. The expressions are real matrices, so the measure is symmetric under
 * conjugation and the rectangle is symmetric about the real axis.
 */
import { BoundExceededError, InvalidArgumentError, NumericFailureError } from "../../util/errors.ts";
import {
  type BrownMeasure,
  brownDensity,
  brownMeasure,
  inBrownSupport,
  spectralAbscissa,
} from "./brown-measure.ts";
import * as E from "./expression.ts";

/** Largest grid side: 101² cells at a few milliseconds each (about half a minute on one core). */
export const BROWN_GRID_MAX = 101;
/** Smallest grid side: a row and a column through the middle and both ends. */
export const BROWN_GRID_MIN = 3;

export interface BrownExtent {
  /** max Re λ over the support: the spectral abscissa. */
  rightmost: number;
  /** |Im λ| where the rightmost point is reached. */
  rightmostAt: number;
  /** min Re λ over the support (the spectral abscissa of −X, negated). */
  leftmost: number;
  leftmostAt: number;
  /**
   * A bound on |Im λ| over the support: the lowest of spectralAbscissa's scanned horizontal lines
   * above every line that meets the support (the scan's range, b.scale, when the top line meets it).
   */
  heightBound: number;
}

/** The support's extent along the real axis (to the bisection tolerance of spectralAbscissa) and a bound on its height. */
export function brownExtent(b: BrownMeasure): BrownExtent {
  const right = spectralAbscissa(b);
  const left = spectralAbscissa(brownMeasure(E.scale(-1, b.expression)));
  let top = -1;
  right.lines.forEach((l, k) => {
    if (l.x !== null) top = k;
  });
  const heightBound = right.lines[top + 1]?.y ?? b.scale;
  return {
    rightmost: right.abscissa,
    rightmostAt: right.at,
    leftmost: -left.abscissa,
    leftmostAt: left.at,
    heightBound,
  };
}

/** A point of the support boundary on a grid row (fixed im) or column (fixed re). */
export interface BoundaryPoint {
  re: number;
  im: number;
}

export interface BrownMap {
  /** Cell centres, increasing. */
  re: number[];
  im: number[];
  /** density[iy][ix] at (re[ix], im[iy]); NaN where the fixed point failed (see failures). */
  density: number[][];
  /** Whether each cell centre is in the support (inBrownSupport); null where it failed. */
  inSupport: (boolean | null)[][];
  /** Crossings of the support boundary by the grid's rows and columns, to `boundaryTolerance`. */
  boundary: BoundaryPoint[];
  boundaryTolerance: number;
  failures: { re: number; im: number; message: string }[];
}

/**
 * The density and the support test at the n × n cell centres of [reLo, reHi] × [imLo, imHi], and
 * the boundary: between two neighbouring centres of a row or column on either side of it, by
 * bisection with inBrownSupport to 1/1024 of the cell (its own sharpness, about 2e-7, is far
 * below). A fixed point that fails at a cell leaves NaN/null there and its message in `failures`.
 */
export function brownMap(
  b: BrownMeasure,
  [reLo, reHi]: readonly [number, number],
  [imLo, imHi]: readonly [number, number],
  n: number,
): BrownMap {
  const fn = "brownMap";
  if (!Number.isInteger(n) || n < BROWN_GRID_MIN)
    throw new InvalidArgumentError(fn, "n", `an integer ≥ ${BROWN_GRID_MIN}`, n);
  if (n > BROWN_GRID_MAX) throw new BoundExceededError(fn, "grid side", BROWN_GRID_MAX, n);
  if (!(reHi > reLo && imHi > imLo))
    throw new InvalidArgumentError(fn, "rectangle", "lo < hi on both axes", { reLo, reHi, imLo, imHi });
  const centres = (lo: number, hi: number) =>
    Array.from({ length: n }, (_, k) => lo + ((hi - lo) * (k + 0.5)) / n);
  const re = centres(reLo, reHi);
  const im = centres(imLo, imHi);
  const failures: BrownMap["failures"] = [];
  const attempt = <T>(x: number, y: number, f: () => T, fallback: T): T => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof NumericFailureError)) throw e;
      failures.push({ re: x, im: y, message: e.message });
      return fallback;
    }
  };
  const density = im.map((y) =>
    re.map((x) => attempt(x, y, () => brownDensity(b, { re: x, im: y }), Number.NaN)),
  );
  const inSupport = im.map((y) =>
    re.map((x) => attempt<boolean | null>(x, y, () => inBrownSupport(b, { re: x, im: y }), null)),
  );
  const dx = (reHi - reLo) / n;
  const dy = (imHi - imLo) / n;
  const boundary: BoundaryPoint[] = [];
  // Bisection on the segment from p (inside == a) to q (inside == !a).
  const cross = (p: BoundaryPoint, q: BoundaryPoint, a: boolean) => {
    for (let k = 0; k < 10; k++) {
      const m = { re: 0.5 * (p.re + q.re), im: 0.5 * (p.im + q.im) };
      const s = attempt<boolean | null>(m.re, m.im, () => inBrownSupport(b, m), null);
      if (s === null) return;
      if (s === a) p = m;
      else q = m;
    }
    boundary.push({ re: 0.5 * (p.re + q.re), im: 0.5 * (p.im + q.im) });
  };
  for (let iy = 0; iy < n; iy++)
    for (let ix = 0; ix < n; ix++) {
      const s = inSupport[iy]![ix]!;
      if (s === null) continue;
      const right = inSupport[iy]![ix + 1];
      if (right !== undefined && right !== null && right !== s)
        cross({ re: re[ix]!, im: im[iy]! }, { re: re[ix + 1]!, im: im[iy]! }, s);
      const up = inSupport[iy + 1]?.[ix];
      if (up !== undefined && up !== null && up !== s)
        cross({ re: re[ix]!, im: im[iy]! }, { re: re[ix]!, im: im[iy + 1]! }, s);
    }
  return {
    re,
    im,
    density,
    inSupport,
    boundary,
    boundaryTolerance: Math.max(dx, dy) / 1024,
    failures,
  };
}

/**
 * The rectangle drawn around the support: [leftmost, rightmost] × [−heightBound, heightBound]
 * widened on each side by 10% of its larger side.
 */
export function brownRectangle(e: BrownExtent): { re: [number, number]; im: [number, number] } {
  const margin = 0.1 * Math.max(e.rightmost - e.leftmost, 2 * e.heightBound, 1e-6);
  return {
    re: [e.leftmost - margin, e.rightmost + margin],
    im: [-e.heightBound - margin, e.heightBound + margin],
  };
}

/**
 * The zero level set of a function sampled on a rectangular grid, by marching squares: for each
 * cell the sign changes on its edges are joined by straight segments (linear interpolation along
 * each edge). Saddle cells (all four edges change sign) are resolved by the sign at the centre.
 * The segments are the set's piecewise-linear approximation at the grid's resolution; a curve
 * along which the function touches zero without changing sign (a double root) is not seen.
 */

export type Segment = [number, number, number, number];

/** Segments of {f = 0} over [x0, x1] x [y0, y1] on an (nx + 1) x (ny + 1) grid. */
export function zeroContour(
  f: (x: number, y: number) => number,
  [x0, x1]: readonly [number, number],
  [y0, y1]: readonly [number, number],
  nx = 200,
  ny = 200,
): Segment[] {
  const xs = Array.from({ length: nx + 1 }, (_, i) => x0 + ((x1 - x0) * i) / nx);
  const ys = Array.from({ length: ny + 1 }, (_, j) => y0 + ((y1 - y0) * j) / ny);
  const v = ys.map((y) => xs.map((x) => f(x, y)));
  const out: Segment[] = [];
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const c = [
        [xs[i]!, ys[j]!, v[j]![i]!],
        [xs[i + 1]!, ys[j]!, v[j]![i + 1]!],
        [xs[i + 1]!, ys[j + 1]!, v[j + 1]![i + 1]!],
        [xs[i]!, ys[j + 1]!, v[j + 1]![i]!],
      ] as const;
      if (c.some((q) => !Number.isFinite(q[2]))) continue;
      const crossings: [number, number][] = [];
      for (let e = 0; e < 4; e++) {
        const a = c[e]!;
        const b = c[(e + 1) % 4]!;
        if (a[2] < 0 !== b[2] < 0) {
          const w = a[2] / (a[2] - b[2]);
          crossings.push([a[0] + w * (b[0] - a[0]), a[1] + w * (b[1] - a[1])]);
        }
      }
      if (crossings.length === 2) out.push([...crossings[0]!, ...crossings[1]!]);
      else if (crossings.length === 4) {
        const centre = f((xs[i]! + xs[i + 1]!) / 2, (ys[j]! + ys[j + 1]!) / 2);
        // edges 0..3 start at corners 0..3; pair each crossing with the one that keeps the
        // centre's sign region connected
        const pair =
          centre < 0 === c[0]![2] < 0
            ? [
                [0, 1],
                [2, 3],
              ]
            : [
                [3, 0],
                [1, 2],
              ];
        for (const [a, b] of pair) out.push([...crossings[a!]!, ...crossings[b!]!]);
      }
    }
  return out;
}

/**
 * Exact linear algebra over Q: reduced row echelon form and nullspace of a rational matrix.
 * Used by the monomial ansatz for first integrals (a linear system on unknown coefficients).
 */
import { checkActiveBudget } from "../util/budget.ts";
import { BoundExceededError } from "../util/errors.ts";
import { Rational } from "./rational.ts";

/** Reduced row echelon form (in place on a copy) and the pivot column of each nonzero row. */
export function rref(
  rows: readonly (readonly Rational[])[],
  columns: number,
): { rows: Rational[][]; pivots: number[] } {
  const m = rows.map((r) => [...r]);
  const pivots: number[] = [];
  let r = 0;
  for (let c = 0; c < columns && r < m.length; c++) {
    let p = r;
    while (p < m.length && (m[p] as Rational[])[c]!.isZero()) p++;
    if (p === m.length) continue;
    [m[r], m[p]] = [m[p]!, m[r]!];
    const row = m[r]!;
    const inv = row[c]!.inv();
    for (let j = c; j < columns; j++) row[j] = row[j]!.mul(inv);
    for (let i = 0; i < m.length; i++) {
      checkActiveBudget();
      if (i === r) continue;
      const f = (m[i] as Rational[])[c]!;
      if (f.isZero()) continue;
      const other = m[i]!;
      for (let j = c; j < columns; j++) if (!row[j]!.isZero()) other[j] = other[j]!.sub(f.mul(row[j]!));
    }
    pivots.push(c);
    r++;
  }
  return { rows: m.slice(0, r), pivots };
}

/**
 * A basis of {x : A x = 0} for A with `columns` columns, one vector per free column, with the
 * free column's entry 1 (the standard RREF basis). `maxColumns` bounds the work.
 */
export function nullspace(
  rows: readonly (readonly Rational[])[],
  columns: number,
  maxColumns = 5000,
): Rational[][] {
  if (columns > maxColumns) throw new BoundExceededError("nullspace", "column", maxColumns, columns);
  const { rows: red, pivots } = rref(rows, columns);
  const pivotSet = new Set(pivots);
  const basis: Rational[][] = [];
  for (let free = 0; free < columns; free++) {
    if (pivotSet.has(free)) continue;
    const v = Array.from({ length: columns }, () => Rational.ZERO);
    v[free] = Rational.ONE;
    red.forEach((row, i) => {
      v[pivots[i]!] = row[free]!.neg();
    });
    basis.push(v);
  }
  return basis;
}

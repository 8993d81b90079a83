/**
 * Numbers for people to read: at most 12 significant digits, shortest form. A float64 result
 * carries rounding in its last 3-4 of 17 digits (4.000000000000001, 0.24999999999999997); 12
 * digits drop that and keep every digit a computation of ours can vouch for. JSON output keeps
 * the full float64 value (see io.ts): a program reading it gets the number as computed.
 */
export function plainNumber(x: number, digits = 12): string {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(digits)));
}

/**
 * The classical fourth-order Runge-Kutta method with a fixed step, for the catalog's small ODEs
 * (scalar reductions and small matrix flows). Global error is O(h^4); each claim that integrates
 * states its step and checks it against a run with half the step.
 */
export type Field = (y: Float64Array) => Float64Array;

/**
 * Integrates y' = f(y) from y0 over [0, t1] in `steps` equal steps, calling `observe(t, y)` after
 * every step (and at t = 0). Stops early and returns the time reached if a state becomes non-finite.
 */
export function rk4(
  f: Field,
  y0: ArrayLike<number>,
  t1: number,
  steps: number,
  observe?: (t: number, y: Float64Array) => void,
): { y: Float64Array; t: number; finite: boolean } {
  const h = t1 / steps;
  let y = Float64Array.from(y0);
  const n = y.length;
  const tmp = new Float64Array(n);
  observe?.(0, y);
  for (let s = 0; s < steps; s++) {
    const k1 = f(y);
    for (let i = 0; i < n; i++) tmp[i] = y[i]! + 0.5 * h * k1[i]!;
    const k2 = f(tmp);
    for (let i = 0; i < n; i++) tmp[i] = y[i]! + 0.5 * h * k2[i]!;
    const k3 = f(tmp);
    for (let i = 0; i < n; i++) tmp[i] = y[i]! + h * k3[i]!;
    const k4 = f(tmp);
    const next = new Float64Array(n);
    let finite = true;
    for (let i = 0; i < n; i++) {
      next[i] = y[i]! + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!);
      if (!Number.isFinite(next[i]!)) finite = false;
    }
    y = next;
    const t = (s + 1) * h;
    if (!finite) return { y, t, finite: false };
    observe?.(t, y);
  }
  return { y, t: t1, finite: true };
}

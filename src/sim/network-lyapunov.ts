/**
 * Lyapunov exponents of a network flow rule's continuous-time limit dW/dt = lr F(W)
 * (src/sim/continuous.ts) by the QR method (src/ode/lyapunov-spectrum.ts), with the tangent
 * vectors carried by the rule's own Jacobian-vector product (forward mode over its IR,
 * src/analysis/network/field-operator.ts): J v = lr dF(W)[v], exact up to rounding and
 * matrix-free, so the k leading exponents of a network with thousands of weights cost k JVPs per
 * stage. Renormalized states (projected onto their sphere after every step) are refused: the
 * projection's derivative is not part of the rule's JVP.
 */
import { kaplanYorkeDimension } from "../analysis/kaplan-yorke.ts";
import { fieldOperator, flattenStates } from "../analysis/network/field-operator.ts";
import { drawRuns } from "../ir/model.ts";
import { type LyapunovResult, lyapunovSpectrumFlow } from "../ode/lyapunov-spectrum.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { learningRate, ruleField } from "./continuous.ts";
import type { RuleRun } from "./rule-run.ts";

export interface NetworkLyapunovOptions {
  /** Averaging time in epochs (> 0). */
  time: number;
  /** Number of leading exponents (default 4, at most the number of weights). */
  count?: number;
  transient?: number;
  /** RK4 step in epochs (default 0.01) and re-orthonormalization interval (default 1). */
  dt?: number;
  interval?: number;
}

export interface NetworkLyapunovResult extends LyapunovResult {
  /** Number of weights n. */
  dimension: number;
  /** Kaplan-Yorke dimension from the k exponents (a lower bound's worth when k < n). */
  kaplanYorke: number | null;
}

/** The k leading exponents of one run's flow from its initial states; see the module comment. */
export function networkLyapunovSpectrum(
  ruleRun: RuleRun,
  options: NetworkLyapunovOptions,
): NetworkLyapunovResult {
  const { model } = ruleRun;
  const renormalized = model.compiled.states.filter((s) => s.renormalize).map((s) => s.name);
  if (renormalized.length > 0)
    throw new InvalidArgumentError(
      "networkLyapunovSpectrum",
      "rule",
      "a flow rule without renormalized states",
      `rule ${model.compiled.name} renormalizes ${renormalized.join(", ")}`,
      "the projection onto the sphere is not part of the rule's Jacobian-vector product",
    );
  const [run] = drawRuns(model, [ruleRun]);
  const field = ruleField(model, run!);
  const op = fieldOperator(model, run!);
  const lr = learningRate(model, run!);
  const y0 = flattenStates(run!.states);
  const r = lyapunovSpectrumFlow(
    field,
    (y) => (v, out) => {
      const jv = op.apply(y, v);
      for (let i = 0; i < jv.length; i++) out[i] = lr * jv[i]!;
    },
    {
      y0,
      time: options.time,
      count: Math.min(options.count ?? 4, y0.length),
      transient: options.transient ?? 0,
      dt: options.dt ?? 0.01,
      interval: options.interval ?? 1,
    },
  );
  const ok = r.exponents.length > 0 && r.exponents.every(Number.isFinite);
  return { ...r, dimension: y0.length, kaplanYorke: ok ? kaplanYorkeDimension(r.exponents) : null };
}

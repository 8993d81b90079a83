/**
 * The Lyapunov spectrum of a scalar rule (flow or map) at given parameter values, with its
 * Kaplan-Yorke dimension: the rule's field and its symbolic Jacobian (evaluated in float64)
 * drive {@link lyapunovSpectrumFlow} or {@link lyapunovSpectrumMap}.
 */
import { kaplanYorkeDimension } from "../analysis/kaplan-yorke.ts";
import { numericField } from "../analysis/numeric-field.ts";
import type { RuleSpec } from "../rules/index.ts";
import {
  denseTangent,
  type LyapunovResult,
  lyapunovSpectrumFlow,
  lyapunovSpectrumMap,
} from "./lyapunov-spectrum.ts";

export interface RuleLyapunovOptions {
  /** Parameter values by name (every parameter of the rule). */
  params: Readonly<Record<string, number>>;
  y0: ArrayLike<number>;
  /** Averaging time (flow) or iterations (map). */
  span: number;
  /** Transient time or iterations before averaging (default 0). */
  transient?: number;
  /** RK4 step for flows (default 0.01). */
  dt?: number;
  /** Re-orthonormalization interval for flows (default 1). */
  interval?: number;
}

export interface RuleLyapunovResult extends LyapunovResult {
  kind: "flow" | "map";
  kaplanYorke: number | null;
}

/** The full spectrum of `rule` from y0; see the module comment. */
export function ruleLyapunovSpectrum(rule: RuleSpec, options: RuleLyapunovOptions): RuleLyapunovResult {
  const nf = numericField(rule);
  const p = nf.paramVector(options.params);
  const linearize = (y: Float64Array) => denseTangent(nf.J(y, p));
  const r =
    rule.kind === "flow"
      ? lyapunovSpectrumFlow((_t, y, dy) => dy.set(nf.f(y, p)), linearize, {
          y0: options.y0,
          time: options.span,
          transient: options.transient ?? 0,
          dt: options.dt ?? 0.01,
          interval: options.interval ?? 1,
        })
      : lyapunovSpectrumMap((_k, y, next) => next.set(nf.f(y, p)), linearize, {
          y0: options.y0,
          iterations: options.span,
          transient: options.transient ?? 0,
        });
  const ok = r.exponents.length > 0 && r.exponents.every(Number.isFinite);
  return { ...r, kind: rule.kind, kaplanYorke: ok ? kaplanYorkeDimension(r.exponents) : null };
}

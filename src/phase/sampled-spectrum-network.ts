/**
 * The empirical spectrum of a network rule's Jacobian on its solution manifold: at each of
 * several sizes, the nonzero eigenvalues at the teacher point over seeds (src/analysis/network),
 * pooled into a histogram of their real parts, the rightmost eigenvalue's mean and standard
 * error over seeds, and its extrapolation in 1/size to infinite size, the quantity that decides
 * stability in the limit the free-probability laws describe.
 */
import { fieldOperator } from "../analysis/network/field-operator.ts";
import { teacherPoint } from "../analysis/network/fixed-points.ts";
import { populationOperator, populationRefusal } from "../analysis/network/population.ts";
import { sketchedNonzeroSpectrum } from "../analysis/network/reduced-jacobian.ts";
import { resolveParams } from "../ir/bind.ts";
import { compileModel, drawRuns } from "../ir/model.ts";
import type { NetworkRuleSpec } from "../rules/network/spec.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { extrapolateInverseSize, type FieldKind, type InverseSizeFit } from "./sampled-boundary.ts";

export interface NetworkSpectrumAtSize {
  /** The size value of the series (e.g. M). */
  readonly size: number;
  readonly sizes: Readonly<Record<string, number>>;
  readonly field: FieldKind;
  /** Per seed: the rightmost nonzero eigenvalue's real part, its rank and zero modes, or a failure. */
  readonly samples: readonly {
    seed: number;
    rightmost: number | null;
    rank: number | null;
    zeroModes: number | null;
    failure?: string;
  }[];
  readonly rightmostMean: number | null;
  readonly rightmostStandardError: number | null;
  /** Histogram of the real parts of all nonzero eigenvalues over the seeds (density: integrates to 1). */
  readonly histogram: { readonly edges: readonly number[]; readonly density: readonly number[] } | null;
  /** Largest |imaginary part| over all eigenvalues (0 for a spectrum that is real). */
  readonly maxImaginary: number | null;
}

export interface NetworkSpectrumOptions {
  /** Series of sizes: the value of the named size and the rule's sizes at it. */
  readonly sizes: readonly { readonly size: number; readonly sizes: Record<string, number> }[];
  readonly params?: Readonly<Record<string, number>>;
  readonly choices?: Readonly<Record<string, string>>;
  readonly seeds: readonly number[];
  readonly field?: FieldKind;
  /** Histogram bins (default 40). */
  readonly bins?: number;
  readonly onSample?: () => void;
}

export function sampledNetworkSpectrum(
  spec: NetworkRuleSpec,
  options: NetworkSpectrumOptions,
): { readonly series: NetworkSpectrumAtSize[]; readonly extrapolation: InverseSizeFit | null } {
  if (options.seeds.length < 2)
    throw new InvalidArgumentError(
      "sampledNetworkSpectrum",
      "seeds",
      "at least 2 seeds",
      options.seeds.length,
    );
  const bins = options.bins ?? 40;
  let rankHint = 0; // start each sketch a little above the last rank seen (see sampledStabilityCurve)
  const series = options.sizes.map(({ size, sizes }) => {
    const model = compileModel(spec, { sizes, ...(options.choices ? { choices: options.choices } : {}) });
    const field: FieldKind =
      (options.field ?? "population") === "population" && populationRefusal(model, { design: false }) === null
        ? "population"
        : "training";
    const params = resolveParams(spec, model.compiled.sizes, options.params ?? {});
    const pooled: { re: number; im: number }[] = [];
    const samples = options.seeds.map((seed) => {
      try {
        const [run] = drawRuns(model, [{ seed, params: options.params ?? {} }]);
        const x = teacherPoint(model, run!);
        if (!x) return { seed, rightmost: null, rank: null, zeroModes: null, failure: "no teacher point" };
        const op =
          field === "population" ? populationOperator(model, run!, params) : fieldOperator(model, run!);
        const s = sketchedNonzeroSpectrum(op, x, { seed, ...(rankHint > 0 ? { block: rankHint + 16 } : {}) });
        rankHint = s.rank;
        pooled.push(...s.eigenvalues);
        return { seed, rightmost: s.eigenvalues[0]?.re ?? null, rank: s.rank, zeroModes: s.zeroModes };
      } catch (e) {
        return { seed, rightmost: null, rank: null, zeroModes: null, failure: (e as Error).message };
      } finally {
        options.onSample?.();
      }
    });
    const values = samples.map((s) => s.rightmost).filter((v): v is number => v !== null);
    const mean = values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
    const se =
      values.length >= 2
        ? Math.sqrt(values.reduce((a, v) => a + (v - mean!) ** 2, 0) / (values.length - 1) / values.length)
        : null;
    let histogram: NetworkSpectrumAtSize["histogram"] = null;
    if (pooled.length > 0) {
      const re = pooled.map((e) => e.re);
      const lo = Math.min(...re);
      const hi = Math.max(...re);
      const width = (hi - lo) / bins || 1;
      const counts = new Array<number>(bins).fill(0);
      for (const v of re) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]! += 1;
      histogram = {
        edges: Array.from({ length: bins + 1 }, (_, k) => lo + k * width),
        density: counts.map((c) => c / (re.length * width)),
      };
    }
    return {
      size,
      sizes: model.compiled.sizes,
      field,
      samples,
      rightmostMean: mean,
      rightmostStandardError: se,
      histogram,
      maxImaginary: pooled.length > 0 ? Math.max(...pooled.map((e) => Math.abs(e.im))) : null,
    };
  });
  const usable = series.filter((s) => s.rightmostMean !== null && s.rightmostStandardError !== null);
  const extrapolation =
    usable.length >= 2 && new Set(usable.map((s) => s.size)).size >= 2
      ? extrapolateInverseSize(
          usable.map((s) => ({ size: s.size, value: s.rightmostMean!, error: s.rightmostStandardError! })),
        )
      : null;
  return { series, extrapolation };
}

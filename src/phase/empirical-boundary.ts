/**
 * Where an empirical phase diagram of a network-rule sweep has an analytic boundary to draw:
 * seed 001's stability boundary c*(α) (section 4.2, src/phase/boundary.ts) belongs to two-layer
 * curl descent (rules/curl-descent.rule, recognized by its compiled programs, so a copy of the
 * file in another place counts too), over c = M / N horizontally and a flip fraction vertically:
 * α_h with α_r = 0 (hidden layer), α_r with α_h = 0 (readout), or α_h = α_r (both). Its runs
 * must have one M + N, and M must be the integer split of M + N at ratio c; otherwise the
 * boundary would be drawn where the runs are not, and the diagram is refused.
 */
import { matchStudentTeacher } from "../backend/fast-path.ts";
import { resolveParams } from "../ir/bind.ts";
import type { NetworkRuleSpec } from "../rules/network/spec.ts";
import { ModelCache } from "../sim/rule-run.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import type { Layer } from "./layer.ts";
import type { MergedRow } from "./sweep/merge.ts";

/** The boundary to draw (its layer and the runs' M + N), or why there is none. */
export type EmpiricalBoundaryChoice = { layer: Layer; total: number } | { layer: null; reason: string };

const FN = "empiricalPhaseDiagram";

const numbers = (params: MergedRow["params"]) =>
  Object.fromEntries(Object.entries(params).filter((e): e is [string, number] => typeof e[1] === "number"));

/**
 * The boundary of a sweep of `spec` over axes `x` (horizontal) and `y` (vertical), given its
 * rows (those without recorded sizes, failed before running, are skipped). Refuses rows of
 * seed 001's rule over (c, α) whose sizes do not follow c.
 */
export function empiricalBoundary(
  spec: NetworkRuleSpec,
  rows: readonly MergedRow[],
  x: string,
  y: string,
): EmpiricalBoundaryChoice {
  const sized = rows.filter((r) => r.values.sizes !== null && typeof r.values.sizes === "object");
  if (sized.length === 0) return { layer: null, reason: "no run recorded its sizes" };
  const sizesOf = (r: MergedRow) => r.values.sizes as Record<string, number>;
  const first = sized[0]!;
  const choices = Object.fromEntries(
    spec.choices
      .filter((c) => typeof first.params[c.name] === "string")
      .map((c) => [c.name, first.params[c.name] as string]),
  );
  const model = new ModelCache(spec).model({ sizes: sizesOf(first), choices });
  if (matchStudentTeacher(model.compiled)?.rule !== "curl-descent") {
    return {
      layer: null,
      reason: `rule "${spec.name}" is not seed 001's two-layer curl descent, whose boundary c*(α) is known`,
    };
  }
  if (x !== "c") return { layer: null, reason: `the horizontal axis is ${x}, not c = M/N` };
  if (y !== "alphaH" && y !== "alphaR")
    return { layer: null, reason: `the vertical axis is ${y}, not a flip fraction (alphaH or alphaR)` };
  const alphas = sized.map((r) => {
    const p = resolveParams(
      spec,
      sizesOf(r),
      Object.fromEntries(
        Object.entries(numbers(r.params)).filter(([k]) => spec.params.some((d) => d.name === k)),
      ),
    );
    return { alphaH: p.alphaH!, alphaR: p.alphaR! };
  });
  const other = y === "alphaH" ? "alphaR" : "alphaH";
  const layer: Layer | null = alphas.every((a) => a[other] === 0)
    ? y === "alphaH"
      ? "hidden"
      : "readout"
    : alphas.every((a) => a.alphaH === a.alphaR)
      ? "both"
      : null;
  if (!layer) return { layer: null, reason: `${other} is neither 0 nor equal to ${y} in every run` };
  const totals = new Set(sized.map((r) => sizesOf(r).M! + sizesOf(r).N!));
  if (totals.size !== 1) {
    throw new InvalidArgumentError(
      FN,
      "sweep",
      "runs with one value of M + N (e.g. --set T=40 --derive 'M=round(c*T/(1+c))' --derive 'N=T-M')",
      `M + N in {${[...totals].join(", ")}}`,
    );
  }
  const total = [...totals][0]!;
  for (const r of sized) {
    const c = r.params.c as number;
    const { M } = sizesOf(r);
    // M is the nearest integer to c T / (1 + c) when derived as round(c*T/(1+c)); the slack
    // 1e-9 covers the rounding of c T / (1 + c) itself.
    if (!(c > 0) || Math.abs(M! - (c * total) / (1 + c)) > 0.5 + 1e-9) {
      throw new InvalidArgumentError(
        FN,
        `sizes of task ${r.id}`,
        `M = round(c (M + N) / (1 + c)) at c = ${c}, M + N = ${total} (so that c*(α) is drawn at the runs' c = M/N)`,
        `M = ${M}`,
        "derive the sizes from c, e.g. --derive 'M=round(c*T/(1+c))' --derive 'N=T-M'",
      );
    }
  }
  return { layer, total };
}

/**
 * What a rule's derived teacher-point law (teacher-point-law.ts) predicts for its Jacobian at
 * given integer sizes (the others at the rule's defaults): the law's params at the realized ratios (c = M/N of the first layer, r_A),
 * the rightmost nonzero eigenvalue of J = −p in the limit (−(lower edge of p), or −(leftmost point
 * of p's Brown measure) when p is not self-adjoint), and for a self-adjoint p the density of J's
 * eigenvalues, ρ_J(v) = ρ_p(−v). Or why there is no prediction (the derivation's refusal).
 */
import { resolveChoices, resolveParams, resolveSizes } from "../../ir/bind.ts";
import type { NetworkRuleSpec } from "../../rules/network/spec.ts";
import { leftmostPoint } from "../../spectra/free/brown-sign-map.ts";
import { parseMatrixExpression } from "../../spectra/free/expression-parse.ts";
import { noncommutativePolynomial, selfAdjointDefect } from "../../spectra/free/noncommutative-polynomial.ts";
import { polynomialDensity, polynomialSpectrum } from "../../spectra/free/polynomial-spectrum.ts";
import { polynomialSupport } from "../../spectra/free/polynomial-support.ts";
import { LearndynError } from "../../util/errors.ts";
import { type TeacherPointLaw, teacherPointLaw } from "./teacher-point-law.ts";

export type LawPrediction =
  | {
      readonly kind: "derived";
      readonly law: TeacherPointLaw;
      /** The law's params at these sizes and parameters. */
      readonly params: Readonly<Record<string, number>>;
      readonly measure: "spectral law" | "Brown measure";
      /** The rightmost nonzero eigenvalue of the Jacobian in the limit. */
      readonly rightmost: number;
      /** The density of the Jacobian's nonzero eigenvalues (self-adjoint p only). */
      readonly density?: (v: number) => number;
    }
  | { readonly kind: "refused"; readonly reason: string };

export function teacherPointPrediction(
  spec: NetworkRuleSpec,
  given: Readonly<Record<string, number>>,
  params: Readonly<Record<string, number>>,
  choices: Readonly<Record<string, string>>,
): LawPrediction {
  try {
    const sizes = resolveSizes(spec, given);
    const resolved = resolveParams(spec, sizes, params);
    const law = teacherPointLaw(spec, {
      choices: resolveChoices(spec, choices),
      env: { ...sizes, ...resolved },
    });
    const values: Record<string, number> = {};
    const base = law.alphabet.get(spec.states[0]!.name)!.rows as string;
    for (const name of Object.keys(law.params)) {
      if (name === "c") values.c = sizes[law.inputDim as string]! / sizes[base]!;
      else if (name.startsWith("r_") && sizes[name.slice(2)] !== undefined)
        values[name] = sizes[name.slice(2)]! / sizes[base]!;
      else if (name in resolved) values[name] = resolved[name]!;
    }
    const p = parseMatrixExpression(law.matrixFile, { params: values }).expression;
    if (selfAdjointDefect(noncommutativePolynomial(p)) !== null)
      return { kind: "derived", law, params: values, measure: "Brown measure", rightmost: -leftmostPoint(p) };
    const s = polynomialSpectrum(p);
    const support = polynomialSupport(s);
    // An atom at 0 is zero modes of J, not among its nonzero eigenvalues.
    const atoms = support.atoms.filter((a) => Math.abs(a.location) > 1e-9).map((a) => a.location);
    const lower = Math.min(support.intervals[0]?.[0] ?? Number.POSITIVE_INFINITY, ...atoms);
    return {
      kind: "derived",
      law,
      params: values,
      measure: "spectral law",
      rightmost: -lower,
      density: (v: number) => polynomialDensity(s, -v),
    };
  } catch (err) {
    if (!(err instanceof LearndynError)) throw err;
    return { kind: "refused", reason: err.message };
  }
}

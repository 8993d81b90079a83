/**
 * The random-matrix law of a network rule's Jacobian at its teacher point, derived from the rule
 * file: the expression whose limiting spectrum gives the stability boundary, written as a
 * .matrix file (src/spectra/free/expression-parse.ts) for `learndyn phase` and `spectrum`.
 *
 * For a linear network with a scalar error e = E(W) x (population field, x ~ N(0, σ²I),
 * population-words.ts), at the teacher point (each state set to the teacher of its shape, where
 * E = 0) every update's first-order change passes through the error: a perturbation δW moves it
 * by ε = δE = Σ_k L_k δW_k R_k (a row), and the field answers
 *     δẆ_l = Σ_g κ_g c_g ε Q_g   (c_g a column, Q_g a matrix: words in the tensors),
 * because every other first-order term carries the factor E = 0. So J = 𝒜∘ℛ, and the nonzero
 * eigenvalues of J are those of ℛ∘𝒜: ε ↦ ε X with
 *     X = Σ_i Σ_{g of i's layer} coef_i κ_g (L_i c_g) Q_g R_i,
 * each L_i c_g a 1 × 1 word (a scalar such as ‖W₂‖², word-limit.ts) and Q_g R_i a square matrix
 * on the input's space. Seed 001's eq. 98 (−½ spec of ‖W₂‖²D₁ + W₁'D₂W₁ at σ² = ½) is the case of
 * rules/curl-descent.rule; the derivation does not know it, and the tests compare both it and
 * the finite-size X (scalars at their sampled values) with the rule's dense Jacobian.
 *
 * The limit replaces each scalar word by its large-network value. The law is the expression
 * p = −X (the Jacobian's nonzero eigenvalues are −spec(p): stable where p's lower edge is > 0),
 * on spaces of relative sizes: the rows of the first state have size 1, the input's is `c`,
 * every other dimension A is `r_A`. Refused with the reason (NoTeacherPointLaw, or a RuleError at
 * the expression): a rule without a teacher of every state's shape, a teacher point that is not
 * a fixed point, no scalar error, a Jacobian that does not factor through the error, terms of
 * rank one (outliers, not bulk), tensors whose entries do not scale as 1/(fan-in).
 */
import { evaluateScalar } from "../../ir/bind.ts";
import type { NetworkRuleSpec, TensorDecl } from "../../rules/network/spec.ts";
import { LearndynError } from "../../util/errors.ts";
import {
  type Alphabet,
  add,
  type Dim,
  derivative,
  isZero,
  type Letter,
  type LetterInfo,
  letterText,
  type MatrixPolynomial,
  negate,
  polynomial,
  polynomialText,
  substitute,
  type Term,
  wordDims,
  wordText,
} from "./matrix-words.ts";
import { populationWords } from "./population-words.ts";
import { type LetterLaw, type MomentPolynomial, scalarWordLimit } from "./word-limit.ts";

/**
 * A number in the law's text, to 12 significant digits: the derivation's own arithmetic (e.g.
 * sd = sqrt(1/2) squared is 0.5000000000000001) is exact to a few ulps, far below any edge.
 */
const num = (x: number) => String(Number(x.toPrecision(12)));

/** Why a rule has no teacher-point law here. */
export class NoTeacherPointLaw extends LearndynError {
  override name = "NoTeacherPointLaw";
  constructor(
    readonly rule: string,
    readonly reason: string,
  ) {
    super(`no random-matrix law for the teacher point of ${rule}: ${reason}`);
  }
}

/** One term of X at finite size: coefficient × params × (1 × 1 word) × (square word). */
export interface ReducedTerm {
  readonly coefficient: number;
  readonly params: readonly string[];
  readonly scalar: readonly Letter[];
  readonly word: readonly Letter[];
}

export interface TeacherPointLaw {
  readonly rule: string;
  /** State name -> the teacher it is set to. */
  readonly teacherOf: ReadonlyMap<string, string>;
  /** The definition that is the error (a per-sample scalar, zero at the teacher point). */
  readonly error: string;
  /** The input's variance σ². */
  readonly variance: number;
  /** The input's dimension (X is square on it). */
  readonly inputDim: Dim;
  /** X at finite size, with the teachers' letters: the nonzero eigenvalues of J are spec(X). */
  readonly reduced: readonly ReducedTerm[];
  /** Each distinct scalar word with its limit (as text in the law's params). */
  readonly scalars: readonly { readonly word: string; readonly limit: string }[];
  /** The law as a .matrix file: params, dims, ensembles, and p = −X in the limit. */
  readonly matrixFile: string;
  /** The law's params and their values (the rule's), e.g. c, r_N2, alphaH. */
  readonly params: Readonly<Record<string, number>>;
  readonly alphabet: Alphabet;
}

export interface TeacherPointLawOptions {
  /** The rule's choices (φ must be linear). */
  readonly choices: Readonly<Record<string, string>>;
  /** Sizes and parameters by name. */
  readonly env: Readonly<Record<string, number>>;
  /** The rule file's text or reference, for the header. */
  readonly source?: string;
}

const same = (a: readonly Letter[], b: readonly Letter[]) =>
  a.length === b.length && a.every((l, i) => l.name === b[i]!.name && l.transposed === b[i]!.transposed);

/** params of `a` less those of `b` (a multiset difference), or null when b's are not all in a. */
function paramsLess(a: readonly string[], b: readonly string[]): string[] | null {
  const out = [...a];
  for (const p of b) {
    const i = out.indexOf(p);
    if (i < 0) return null;
    out.splice(i, 1);
  }
  return out;
}

export function teacherPointLaw(rule: NetworkRuleSpec, options: TeacherPointLawOptions): TeacherPointLaw {
  const refuse = (reason: string): never => {
    throw new NoTeacherPointLaw(rule.name, reason);
  };
  const pw = populationWords(rule, options.choices, options.env);
  const alphabet = new Map<string, LetterInfo>(pw.alphabet);
  const shapeKey = (d: TensorDecl) => `${d.shape[0]}×${d.shape[1]}`;

  // The teacher point: each state takes the first unused teacher of its (symbolic) shape.
  const teacherOf = new Map<string, string>();
  const teachers = rule.fixed.filter((d) => d.role === "teacher");
  for (const s of rule.states) {
    const t = teachers.find((d) => shapeKey(d) === shapeKey(s) && ![...teacherOf.values()].includes(d.name));
    if (!t)
      refuse(`no teacher of the shape of ${s.name} [${s.shape.join(",")}]: the rule has no teacher point`);
    teacherOf.set(s.name, t!.name);
  }
  const delta = new Map(rule.states.map((s) => [s.name, `δ${s.name}`]));
  for (const s of rule.states) alphabet.set(`δ${s.name}`, pw.alphabet.get(s.name)!);
  const perturbations = new Set(delta.values());
  const atTeacher = (p: MatrixPolynomial) => substitute(p, teacherOf);

  for (const [state, F] of pw.field) {
    const F0 = atTeacher(F);
    if (!isZero(F0))
      refuse(
        `the teacher point is not a fixed point of the population field: d/dt ${state} = ${polynomialText(F0)} there`,
      );
  }

  // The error channel: a per-sample scalar linear in x that vanishes at the teacher point.
  const errors = [...pw.scalarsLinearInInput].filter(([, E]) => isZero(atTeacher(E)) && !isZero(E));
  if (errors.length === 0)
    refuse(
      "no per-sample scalar (an error e = f(x) - y) vanishes at the teacher point: the law is derived for a scalar error",
    );
  const [errorName, E] = errors[0]!;
  // Another such scalar must be ±e itself: two independent ones are a vector output.
  for (const [name, other] of errors.slice(1))
    if (!isZero(add(other, negate(E))) && !isZero(add(other, E)))
      refuse(
        `two different errors vanish at the teacher point (${errorName} and ${name}): a vector output is not derived`,
      );
  const dE = atTeacher(derivative(E, delta));

  // The monomials of δE, by the perturbation they carry.
  const channel = new Map<string, { term: Term; at: number }>();
  for (const term of dE.terms) {
    const at = term.word.findIndex((l) => perturbations.has(l.name));
    const l = term.word[at]!;
    if (l.transposed) refuse(`the error depends on ${l.name.slice(1)}' (a transposed state): not derived`);
    if (channel.has(l.name))
      refuse(`${l.name.slice(1)} enters the error more than once (shared weights): not derived`);
    channel.set(l.name, { term, at });
  }

  // Factor each layer's first-order field as Σ κ c ε Q.
  interface Group {
    layer: string;
    c: Letter[];
    Q: Letter[];
    params: string[];
    kappa: Map<string, number>;
  }
  const groups = new Map<string, Group>();
  for (const state of rule.states.map((s) => s.name)) {
    const J = atTeacher(derivative(pw.field.get(state)!, delta));
    for (const t of J.terms) {
      const p = t.word.findIndex((l) => channel.has(l.name));
      const l = t.word[p]!;
      const m = channel.get(l.name)!;
      const L = m.term.word.slice(0, m.at);
      const R = m.term.word.slice(m.at + 1);
      const start = p - L.length;
      const end = p + 1 + R.length;
      const params = paramsLess(t.params, m.term.params);
      if (
        l.transposed ||
        start < 0 ||
        end > t.word.length ||
        !same(t.word.slice(start, p), L) ||
        !same(t.word.slice(p + 1, end), R) ||
        !params
      )
        refuse(
          `the Jacobian does not factor through the error ${errorName}: the term ${polynomialText(polynomial(J.rows, J.cols, [t]))} of d/dt ${state} is not (column) δ${errorName} (matrix)`,
        );
      const c = t.word.slice(0, start);
      const Q = t.word.slice(end);
      const key = `${state}|${wordText(c)}|${wordText(Q)}|${params!.join("*")}`;
      const g = groups.get(key) ?? { layer: state, c, Q, params: params!, kappa: new Map() };
      g.kappa.set(l.name, t.coefficient / m.term.coefficient);
      groups.set(key, g);
    }
  }
  for (const g of groups.values()) {
    const ks = [...channel.keys()].map((k) => g.kappa.get(k));
    const k0 = ks[0];
    if (ks.some((k) => k === undefined || Math.abs(k - k0!) > 1e-12 * Math.abs(k0!)))
      refuse(
        `the Jacobian does not factor through the error ${errorName}: d/dt ${g.layer} has ${wordText(g.c)} · (part of δ${errorName}) · ${wordText(g.Q)}`,
      );
  }

  // X = Σ_i Σ_{g in i's layer} coef_i κ_g (L_i c_g)(Q_g R_i).
  const reduced: ReducedTerm[] = [];
  for (const [dName, m] of channel) {
    const layer = dName.slice(1);
    const L = m.term.word.slice(0, m.at);
    const R = m.term.word.slice(m.at + 1);
    for (const g of groups.values()) {
      if (g.layer !== layer) continue;
      const word = [...g.Q, ...R];
      const dims = wordDims(word, alphabet, pw.input.dim);
      if (dims.slice(1, -1).includes(1))
        refuse(
          `the term ${wordText(word)} of the reduced Jacobian has rank one (its outliers are not part of the bulk law)`,
        );
      reduced.push({
        coefficient: m.term.coefficient * g.kappa.get(dName)!,
        params: [...m.term.params, ...g.params].sort(),
        scalar: [...L, ...g.c],
        word,
      });
    }
  }
  if (reduced.length === 0) refuse("the Jacobian at the teacher point is zero");

  return buildLaw(rule, options, pw.input, alphabet, teacherOf, errorName, reduced);
}

/** The laws of the letters in X, the spaces and params, and the .matrix text. */
function buildLaw(
  rule: NetworkRuleSpec,
  options: TeacherPointLawOptions,
  input: { name: string; dim: Dim; variance: number },
  alphabet: Alphabet,
  teacherOf: ReadonlyMap<string, string>,
  errorName: string,
  reduced: readonly ReducedTerm[],
): TeacherPointLaw {
  const refuse = (reason: string): never => {
    throw new NoTeacherPointLaw(rule.name, reason);
  };
  const env = options.env;
  const decl = new Map(rule.fixed.map((d) => [d.name, d]));
  const letters = new Set(reduced.flatMap((t) => [...t.scalar, ...t.word].map((l) => l.name)));

  // Spaces: the first state's rows are the unit; the input's size is c; others r_NAME.
  const base = alphabet.get(rule.states[0]!.name)!.rows;
  const dims = new Set<Dim>();
  for (const n of letters) {
    const info = alphabet.get(n)!;
    for (const d of [info.rows, info.cols]) if (d !== 1) dims.add(d);
  }
  const sizeParam = (d: Dim) => (d === base ? null : d === input.dim ? "c" : `r_${d}`);
  const params: Record<string, number> = {};
  for (const d of dims) {
    const p = sizeParam(d);
    if (p) params[p] = env[d as string]! / env[base as string]!;
  }

  // Laws: Gaussian letters with entries of variance v/(columns) (v/length for a vector), sign diagonals.
  const laws = new Map<string, LetterLaw>();
  const ensembleLines: string[] = [];
  const momentText = new Map<string, string>();
  const doubled = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, rule.sizes.some((s) => s.name === k) ? 2 * v : v]),
  );
  for (const n of [...letters].sort()) {
    const d = decl.get(n);
    if (!d) refuse(`${n} is not a teacher or random tensor`);
    const info = alphabet.get(n)!;
    if (info.symmetric) {
      const lawName = options.choices[d!.law.law] ?? d!.law.law;
      if (lawName !== "signs")
        refuse(`diag(${n}) has entries of law ${lawName}: the law is derived for sign diagonals`);
      const arg = d!.law.args.fraction ?? Object.values(d!.law.args)[0];
      const alpha =
        arg?.kind === "name" && rule.params.some((p) => p.name === arg.name)
          ? arg.name
          : String(arg ? evaluateScalar(arg, env, rule.file, `the fraction of ${n}`) : 0);
      if (/^[A-Za-z_]/.test(alpha)) params[alpha] = env[alpha]!;
      laws.set(n, { kind: "signs" });
      momentText.set(n, `(1 - 2 * ${alpha})`);
      ensembleLines.push(`${n} = diagonal(${info.rows}, signs(${alpha}))`);
      continue;
    }
    const lawName = options.choices[d!.law.law] ?? d!.law.law;
    if (lawName !== "normal" && lawName !== "uniform")
      refuse(`${n} has law ${lawName}: the law is derived for iid centered entries (normal, uniform)`);
    if (d!.law.args.mean !== undefined || (d!.law.args.low !== undefined && lawName === "uniform"))
      refuse(`${n} has entries that are not centered with a given sd`);
    const sdOf = (e: Readonly<Record<string, number>>) =>
      d!.law.args.sd
        ? evaluateScalar(d!.law.args.sd, e, rule.file, `the sd of ${n}`) ** 2
        : evaluateScalar(d!.law.args.variance!, e, rule.file, `the variance of ${n}`);
    const vector = info.rows === 1 || info.cols === 1;
    const fan = (e: Readonly<Record<string, number>>) =>
      vector ? e[(info.rows === 1 ? info.cols : info.rows) as string]! : e[info.cols as string]!;
    const scaled = sdOf(env) * fan(env);
    const scaledDoubled = sdOf(doubled) * fan(doubled);
    if (!(Math.abs(scaled - scaledDoubled) <= 1e-12 * Math.abs(scaled)) || !(scaled > 0))
      refuse(
        `the entries of ${n} do not have variance proportional to 1/${vector ? "length" : "columns"} (no large-network limit)`,
      );
    laws.set(n, { kind: "gaussian", scaled });
    if (!vector)
      ensembleLines.push(
        `${n} = gaussian(${info.rows}, ${info.cols}${num(scaled) === "1" ? "" : `, ${num(scaled)}`})`,
      );
  }

  // Limits of the scalar words, as text in the law's params.
  const sizeText = (d: string) => sizeParam(d) ?? "1";
  const limitText = (m: MomentPolynomial) =>
    [...m]
      .map(([key, c]) => {
        const f = key ? key.split("*") : [];
        const factors = [
          num(c),
          ...f.filter((x) => x.startsWith("m:")).map((x) => momentText.get(x.slice(2))!),
        ];
        factors.push(...f.filter((x) => x.startsWith("n:")).map((x) => sizeText(x.slice(2))));
        const den = f.filter((x) => x.startsWith("d:")).map((x) => sizeText(x.slice(2)));
        return (
          factors.filter((x, i) => !(x === "1" && i > 0)).join(" * ") + den.map((x) => ` / ${x}`).join("")
        );
      })
      .join(" + ") || "0";
  const scalars = new Map<string, string>();
  const lines: string[] = [];
  for (const t of reduced) {
    const key = wordText(t.scalar);
    const limit = limitText(scalarWordLimit(t.scalar, alphabet, laws));
    if (t.scalar.length > 0) scalars.set(key, limit);
    if (limit === "0") continue;
    const coef = [num(-t.coefficient), ...t.params].join(" * ");
    const factor = limit === "1" ? coef : `${coef} * (${limit})`;
    lines.push(
      `${factor.includes(" ") ? `(${factor})` : factor}${t.word.length ? ` * ${t.word.map(letterText).join(" * ")}` : ""}`,
    );
  }
  if (lines.length === 0) refuse("every term of the reduced Jacobian vanishes in the limit");
  for (const t of reduced) for (const p of t.params) if (!(p in params)) params[p] = env[p]!;

  const text = [
    `# The Jacobian of ${rule.name} (${options.source ?? rule.file}) at its teacher point, derived from the rule:`,
    `# linear phi, population field (input ${input.name} ~ N(0, ${num(input.variance)} I)), error ${errorName}.`,
    `# States at the teachers: ${[...teacherOf].map(([s, t]) => `${s} = ${t}`).join(", ")}.`,
    "# Its nonzero eigenvalues are -spec(p) in the limit, p the expression below (stable iff p's",
    "# lower edge is > 0); scalar words at their limits:",
    ...[...scalars].map(([w, l]) => `#   ${w} -> ${l}`),
    ...Object.entries(params)
      .sort(([a], [b]) => (a === "c" ? -1 : b === "c" ? 1 : 0))
      .map(([k, v]) => `param ${k} = ${v}`),
    ...[...dims]
      .sort((a, b) => (a === base ? -1 : b === base ? 1 : 0))
      .map((d) => `dim ${d} = ${sizeParam(d) ?? 1}`),
    ...ensembleLines,
    lines.join(" + "),
    "",
  ].join("\n");
  return {
    rule: rule.name,
    teacherOf,
    error: errorName,
    variance: input.variance,
    inputDim: input.dim,
    reduced,
    scalars: [...scalars].map(([word, limit]) => ({ word, limit })),
    matrixFile: text,
    params,
    alphabet,
  };
}

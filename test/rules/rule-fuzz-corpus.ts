/**
 * A seeded corpus of mutated rule files and the oracle every mutation must pass, for both rule
 * languages: the scalar one (`d/dt w = ...`, analyzed symbolically) and the network one (matrix
 * states, compiled and stepped). Mutation k is drawn from seed `seed + k` alone, so any failure
 * replays by its seed.
 *
 * Mutations delete, duplicate or swap characters, tokens or lines of a source file, or insert a
 * token of the language, a name that plain objects inherit, a number at the edge of float64's
 * range, or an abusive construct (2,000 nested parentheses, a sum of 5,000 terms, 50,000 unary
 * minuses, 1,000 nested calls, 2^4294967296, 1e10001).
 *
 * The oracle ({@link exerciseScalar}, {@link exerciseNetwork}): every outcome is a result or a
 * LearndynError, never another exception (no stack trace); an error of the parser is a RuleError
 * or ParseError with a line and column inside the file; the analysis of a parsed scalar rule
 * ends in an InvalidArgumentError only about the rule (one from inside it about another argument
 * refuses a value the analysis itself computed); and a scalar analysis says nothing a
 * numeric twin contradicts: fixed points have finite coordinates and a residual within their
 * tolerance (the field evaluated from its expression tree), a point's class agrees with the
 * eigenvalues of the Jacobian evaluated numerically wherever those are clear of the stability
 * boundary, the characteristic polynomial equals det(lambda I - J) at random lambda and x,
 * invariants are conserved and a potential's gradient is the field at random points.
 */
import { eigs } from "mathjs";
import { analyze, classifyEigenvalues, growth, jacobianExpr } from "../../src/analysis/index.ts";
import { compileExpr, differentiate, ParseError, parseExpr } from "../../src/expr/index.ts";
import { prepareProgram } from "../../src/ir/interpret.ts";
import { compileModel, drawRuns } from "../../src/ir/model.ts";
import { BUILTIN_RULE_NAMES, builtinRuleText, defaultParams, type RuleSpec } from "../../src/rules/index.ts";
import { parseRuleFile } from "../../src/rules/load.ts";
import type { NetworkRuleSpec } from "../../src/rules/network/spec.ts";
import { RuleError } from "../../src/rules/rule-error.ts";
import { InvalidArgumentError, LearndynError } from "../../src/util/errors.ts";
import { Rng } from "../../src/util/random.ts";
import { recordOf } from "../../src/util/record.ts";
import { smallSizes } from "../backend/small-sizes.ts";

/** Names, numbers, runs of blanks and single other characters, so that tokens join back exactly. */
const TOKEN = /[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[ \t]+|\r?\n|./g;

/** Names that plain JavaScript objects inherit or treat specially. */
export const PROTOTYPE_NAMES = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"];

/** Abusive constructs, each once the cause of a crash or a hang. */
export const ABUSIVE = [
  `${"(".repeat(2000)}w${")".repeat(2000)}`,
  Array.from({ length: 5000 }, () => "w").join(" + "),
  `${"-".repeat(50_000)}w`,
  `${"sin(".repeat(1000)}w${")".repeat(1000)}`,
  "2^4294967296",
  "(w+1)^4294967296",
  "1e10001",
  "1e-10001",
  "1e200*1e200",
  "(1/2)^3000",
];

/** Tokens inserted by the fourth kind of mutation. */
const VOCABULARY = [
  "(",
  ")",
  "'",
  ".*",
  "./",
  ".^",
  "^",
  "^T",
  "*",
  "/",
  "+",
  "-",
  ",",
  "=",
  "[",
  "]",
  "~",
  "|",
  "ᵀ",
  "⊙",
  "#",
  "mean",
  "sum",
  "diag",
  "tanh",
  "exp",
  "log",
  "sin",
  "sqrt",
  "phi",
  "phi'",
  "normal",
  "signs",
  "zeros",
  "identity",
  "sd",
  "fraction",
  "d/dt",
  "state",
  "random",
  "input",
  "target",
  "error",
  "sizes",
  "params",
  "choice",
  "minibatch",
  "lambda",
  ...PROTOTYPE_NAMES,
  "0",
  "-1",
  "1e400",
  "1e-400",
  "1e309",
  "1e308",
  "1e-320",
  "2^1023",
  "1000001",
  "65",
  "0.5",
  ...ABUSIVE,
];

function mutateParts(parts: string[], rng: Rng, insert?: () => string): string[] {
  if (parts.length === 0) return parts;
  const out = [...parts];
  const i = rng.int(out.length);
  switch (rng.int(insert ? 4 : 3)) {
    case 3:
      out.splice(i, 0, insert!());
      break;
    case 0:
      out.splice(i, 1);
      break;
    case 1:
      out.splice(i, 0, out[i]!);
      break;
    default: {
      const j = rng.int(out.length);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
  }
  return out;
}

/** One to three mutations, each of characters, tokens or lines. */
export function mutate(text: string, rng: Rng): string {
  let t = text;
  const count = 1 + rng.int(3);
  for (let k = 0; k < count; k++) {
    const level = rng.int(3);
    if (level === 0) t = mutateParts([...t], rng).join("");
    else if (level === 1)
      t = mutateParts(t.match(TOKEN) ?? [], rng, () => VOCABULARY[rng.int(VOCABULARY.length)]!).join("");
    else t = mutateParts(t.split("\n"), rng).join("\n");
  }
  return t;
}

/** Scalar rules to mutate besides the built-ins: a map, a non-polynomial rule, odd names. */
const EXTRA_SCALAR = [
  `rule tanh-pair
params a = 0.5, b = 2
state x, y
d/dt x = -x + tanh(a*x + b*y)
d/dt y = -y + tanh(b*x - a*y)`,
  `rule logistic-map
params r = 3.2
state x
x' = r*x*(1 - x)`,
  `rule odd-names
params valueOf = 1, constructor = 2
state __proto__, toString
d/dt __proto__ = valueOf*toString - __proto__
d/dt toString = constructor - toString^3`,
  `rule lotka-volterra
params a = 1, b = 1/2
state u, v
d/dt u = u*(a - v)
d/dt v = v*(u - b)`,
];

/** The scalar source files of the corpus. */
export function scalarSources(): string[] {
  return [...BUILTIN_RULE_NAMES.map(builtinRuleText), ...EXTRA_SCALAR];
}

export type Outcome = "analyzed" | "partial" | "refused";

/** What {@link exercise} saw besides its outcome, for a caller that counts more finely. */
export interface ExerciseDetail {
  /** The LearndynError that refused the file (outcome "refused"). */
  error?: LearndynError;
  /** The analysis steps left unfinished and why (outcome "partial"). */
  unfinished?: { step: string; reason: string }[];
}

/** A violation of the oracle, with what was seen. */
export class OracleViolation extends Error {
  override name = "OracleViolation";
}

/** Throws an OracleViolation unless a parser error is a positioned one within the file. */
function checkPositioned(e: unknown, text: string): void {
  if (!(e instanceof RuleError || e instanceof ParseError)) {
    throw new OracleViolation(
      `parser error without a position: ${(e as Error).name}: ${(e as Error).message}`,
    );
  }
  const lines = text.split("\n").length;
  if (!(e.line >= 1 && e.line <= lines + 1 && e.column >= 1)) {
    throw new OracleViolation(
      `position ${e.line}:${e.column} outside the file (${lines} lines): ${e.message}`,
    );
  }
}

/**
 * Parses the file, then for a scalar rule analyzes it under a time budget of `timeoutSeconds`
 * and checks the report against its numeric twins (module comment); for a network rule,
 * compiles it and takes one step at small sizes. Returns the outcome; throws anything the
 * oracle forbids (an OracleViolation, or the unexpected error itself).
 */
export function exercise(
  text: string,
  seed: number,
  timeoutSeconds = 2,
  detail: ExerciseDetail = {},
): Outcome {
  let parsed: ReturnType<typeof parseRuleFile>;
  try {
    parsed = parseRuleFile(text, "fuzz.rule");
  } catch (e) {
    if (!(e instanceof LearndynError)) throw e;
    checkPositioned(e, text);
    detail.error = e;
    return "refused";
  }
  try {
    return parsed.kind === "scalar"
      ? exerciseScalar(parsed.rule, seed, timeoutSeconds, detail)
      : exerciseNetwork(parsed.rule, seed);
  } catch (e) {
    // analyze's options here are valid, so an InvalidArgumentError from inside the analysis that
    // is not about the rule itself (e.g. a parameter without a default) is an internal function
    // refusing what the analysis computed: a defect, not a clear error
    if (parsed.kind === "scalar" && e instanceof InvalidArgumentError && e.argument !== "rule") {
      throw new OracleViolation(`the analysis leaked an internal argument error: ${e.message}`);
    }
    if (e instanceof LearndynError) {
      detail.error = e;
      return "refused";
    }
    throw e;
  }
}

/** Compiles at the defaults, then draws and steps once at small sizes. */
export function exerciseNetwork(rule: NetworkRuleSpec, seed: number): Outcome {
  compileModel(rule);
  const model = compileModel(rule, { sizes: smallSizes(rule, new Rng(seed)) });
  const [run] = drawRuns(model, [{ seed }]);
  const c = model.compiled;
  const data = c.samples
    ? run!.train.map((d, k) => d.subarray(0, c.minibatch * c.data[k]!.rows * c.data[k]!.cols))
    : [];
  prepareProgram(c.step).run({ states: run!.states, fixed: run!.fixed, params: run!.params, data });
  if (c.error)
    prepareProgram(c.error.test).run({
      states: run!.states,
      fixed: run!.fixed,
      params: run!.params,
      data: run!.test,
    });
  return "analyzed";
}

const relClose = (a: number, b: number, scale: number, tol: number) => Math.abs(a - b) <= tol * (1 + scale);

/** The analysis of a scalar rule and its numeric twins (module comment). */
export function exerciseScalar(
  rule: RuleSpec,
  seed: number,
  timeoutSeconds: number,
  detail: ExerciseDetail = {},
): Outcome {
  const report = analyze(rule, { timeoutSeconds, seed });
  detail.unfinished = report.unfinished;
  const fail = (what: string): never => {
    throw new OracleViolation(`${what}\n--- report ---\n${JSON.stringify(report).slice(0, 4000)}`);
  };
  const params = defaultParams(rule);
  const vars = [...rule.states, ...rule.params.map((p) => p.name)];
  const pvals = rule.params.map((p) => params[p.name]!);
  const field = rule.field.map((e) => compileExpr(e, vars));
  const jac = jacobianExpr(rule).map((row) => row.map((e) => compileExpr(e, vars)));
  const n = rule.states.length;
  const at = (x: readonly number[]) => [...x, ...pvals];
  const g = (x: readonly number[]) => field.map((f, i) => f(at(x)) - (rule.kind === "map" ? x[i]! : 0));
  const J = (x: readonly number[]) => jac.map((row) => row.map((f) => f(at(x))));

  for (const fp of report.fixedPoints) {
    const x = rule.states.map((s) => fp.value[s]!);
    if (!x.every(Number.isFinite))
      fail(`fixed point with non-finite coordinates ${JSON.stringify(fp.value)}`);
    if (!fp.atDefaults && fp.dimension === 0 && Object.keys(fp.point ?? {}).length === 0) continue;
    // the twin: the field from its expression tree; float64 evaluations of one value differ by
    // rounding (1e-16 relative per operation), far below the 1e-10 relative tolerance
    const residual = Math.max(0, ...g(x).map(Math.abs));
    if (!(residual <= 2 * fp.tolerance + 1e-300)) {
      fail(
        `fixed point ${JSON.stringify(fp.value)}: residual ${residual} above its tolerance ${fp.tolerance}`,
      );
    }
    if (fp.dimension > 0) continue;
    const Jx = J(x);
    if (!Jx.flat().every(Number.isFinite)) continue; // no twin where the Jacobian overflows
    // The twin's eigenvalues from mathjs (iteration-bounded: it throws rather than loops; ml-matrix's
    // hqr2 loops forever on some structured Jacobians, e.g. [[0,a,0],[-a,0,-b],[0,b,0]]); no twin
    // where it does not converge.
    let eig: { re: number; im: number }[];
    try {
      eig = (
        eigs(Jx, { eigenvectors: false }).values as unknown as (number | { re: number; im: number })[]
      ).map((z) => (typeof z === "number" ? { re: z, im: 0 } : { re: z.re, im: z.im }));
    } catch {
      continue;
    }
    // a clear twin: every eigenvalue 1e-6 (relative) away from the boundary and from the real
    // axis or on it; float64 eigenvalues of an O(1)-conditioned matrix are far more accurate
    const scale = Math.max(1, ...eig.map((z) => Math.hypot(z.re, z.im)));
    const clear = eig.every(
      (z) => Math.abs(growth(z, rule.kind)) > 1e-6 * scale && (Math.abs(z.im) > 1e-6 * scale || z.im === 0),
    );
    if (
      clear &&
      eig.every((z) => Number.isFinite(z.re)) &&
      classifyEigenvalues(eig, rule.kind) !== fp.class
    ) {
      fail(
        `fixed point ${JSON.stringify(fp.value)} classified "${fp.class}" but its numeric Jacobian's eigenvalues ${JSON.stringify(eig)} say "${classifyEigenvalues(eig, rule.kind)}"`,
      );
    }
  }

  const rng = new Rng(seed);
  const randomPoint = () => Array.from({ length: n }, () => rng.normal());
  const point = (x: readonly number[]) =>
    recordOf([
      ...rule.states.map((s, i) => [s, x[i]!] as const),
      ...rule.params.map((p, k) => [p.name, pvals[k]!] as const),
    ]);
  const evalText = (text: string, values: Record<string, number>) => {
    const e = parseExpr(text, { unbounded: true });
    return compileExpr(e, Object.keys(values))(Object.values(values));
  };

  if (report.charpoly !== null) {
    for (let k = 0; k < 3; k++) {
      const x = randomPoint();
      const lambda = rng.normal();
      const Jx = J(x);
      if (!Jx.flat().every(Number.isFinite)) break;
      const direct = detOf(Jx, lambda);
      const fromReport = evalText(
        report.charpoly,
        recordOf([...Object.entries(point(x)), ["lambda", lambda]]),
      );
      const size = Math.max(
        1,
        Math.abs(direct),
        ...Jx.flat().map((v) => Math.abs(v) ** n),
        Math.abs(lambda) ** n,
      );
      if (
        Number.isFinite(fromReport) &&
        Number.isFinite(direct) &&
        !relClose(fromReport, direct, size, 1e-8)
      ) {
        fail(`charpoly at lambda = ${lambda}, x = ${x}: ${fromReport} against det(lambda I - J) = ${direct}`);
      }
    }
  }

  for (const inv of report.invariants) {
    const I = parseExpr(inv, { unbounded: true });
    const grad = rule.states.map((s) => compileExpr(differentiate(I, s), vars));
    const Ic = compileExpr(I, vars);
    for (let k = 0; k < 3; k++) {
      const x = randomPoint();
      const f = field.map((fi) => fi(at(x)));
      let change: number;
      let size: number;
      if (rule.kind === "flow") {
        const terms = grad.map((d, i) => d(at(x)) * f[i]!);
        change = terms.reduce((a, b) => a + b, 0);
        size = Math.max(1, ...terms.map(Math.abs));
      } else {
        change = Ic(at(f)) - Ic(at(x));
        size = Math.max(1, Math.abs(Ic(at(f))), Math.abs(Ic(at(x))));
      }
      if (Number.isFinite(change) && !relClose(change, 0, size, 1e-7)) {
        fail(`invariant ${inv} changes by ${change} at ${x}`);
      }
    }
  }

  if (report.gradient.isGradient && report.gradient.potential && rule.kind === "flow") {
    const L = parseExpr(report.gradient.potential, { unbounded: true });
    const grad = rule.states.map((s) => compileExpr(differentiate(L, s), vars));
    for (let k = 0; k < 3; k++) {
      const x = randomPoint();
      rule.states.forEach((_, i) => {
        const a = -grad[i]!(at(x));
        const b = field[i]!(at(x));
        if (Number.isFinite(a) && Number.isFinite(b) && !relClose(a, b, Math.abs(b), 1e-8)) {
          fail(`potential ${report.gradient.potential}: -dL/d${rule.states[i]} = ${a} but f = ${b} at ${x}`);
        }
      });
    }
  }
  return (report.unfinished?.length ?? 0) > 0 ? "partial" : "analyzed";
}

/** det(lambda I - J) by Gaussian elimination with partial pivoting (float64). */
function detOf(Jx: number[][], lambda: number): number {
  const a = Jx.map((row, i) => row.map((v, j) => (i === j ? lambda : 0) - v));
  const n = a.length;
  let det = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    if (a[p]![c] === 0) return 0;
    if (p !== c) {
      [a[p], a[c]] = [a[c]!, a[p]!];
      det = -det;
    }
    det *= a[c]![c]!;
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return det;
}

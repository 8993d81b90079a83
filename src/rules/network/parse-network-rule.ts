/**
 * Network rules in the rule language: learning rules over weight matrices, written as the papers
 * write them. Seed 001's curl descent (eqs. 5-6, protocol of section 5):
 *
 *     rule curl-descent
 *     source seed 001, eqs. 5-6; protocol of section 5
 *     sizes M = 110, N = 110, P = 250, Q = 100, S = P
 *     params alphaH = 0, alphaR = 0, lr = 0.1
 *     choice phi = linear | tanh | relu
 *     teacher W1t[N,M] ~ normal(sd = 1/sqrt(M))
 *     teacher W2t[1,N] ~ normal(sd = 1/sqrt(N))
 *     input x[M] ~ normal(sd = sqrt(1/2))
 *     target y = W2t phi(W1t x)
 *     samples train P, test Q
 *     random s1[M] ~ signs(alphaH)
 *     random s2[N] ~ signs(alphaR)
 *     state W1[N,M] ~ normal(sd = 1/sqrt(M))
 *     state W2[1,N] ~ normal(sd = 1/sqrt(N))
 *     a = W1 x
 *     e = W2 phi(a) - y
 *     d/dt W1 = -mean((W2' e .* phi'(a)) x') diag(s1)
 *     d/dt W2 = -mean(e phi(a)') diag(s2)
 *     error = mean(e^2)
 *     minibatch S
 *     learning-rate lr
 *     renormalize W1, W2
 *
 * Lines (any order; `#` starts a comment; an expression with an open parenthesis continues on the
 * next line):
 * - `rule NAME`, `description TEXT`, `source TEXT` as in scalar rules (never continued);
 * - `sizes A = 10, B = A` (integer defaults up to MAX_SIZE, or another size), `params p = 0.1, q`
 *   (defaults are expressions of numbers, sizes and earlier parameters), `choice f = tanh | relu`
 *   (elementwise functions or laws; the first option is the default);
 * - `teacher`, `random`, `input`, `state` NAME[rows, cols] ~ LAW: tensors drawn at the start of a
 *   run (`NAME[n]` is a column vector, no brackets a scalar); inputs are drawn per sample;
 * - `target y = EXPR` (per sample, from teachers and inputs), `samples train P, test Q`;
 * - `NAME = EXPR`: a definition; `d/dt W = EXPR` (a flow) or `W' = EXPR` (a map), one per state;
 *   `error = EXPR`: the observable reported as the train and test error;
 * - `minibatch S`, `learning-rate EXPR` (per epoch: a step is lr S / P), `renormalize W1, W2`
 *   (each to its initial Frobenius norm after every step).
 *
 * Every problem is a {@link RuleError} with line and column; shapes are checked by
 * src/rules/network/shapes.ts, which names both shapes of a mismatched product.
 */
import { own, recordOf } from "../../util/record.ts";
import { RuleError } from "../rule-error.ts";
import { isElementwise, isLaw, LAWS, NETWORK_RESERVED } from "./functions.ts";
import {
  BUILTIN_FUNCTIONS,
  parseMatrixExpr,
  type Token,
  TokenStream,
  tokenize,
} from "./parse-matrix-expr.ts";
import { checkNetworkRule } from "./shapes.ts";
import {
  type At,
  type ChoiceDecl,
  type Definition,
  type Dim,
  type LawSpec,
  MAX_SIZE,
  type MExpr,
  type NetworkRuleSpec,
  type ParamDecl,
  type RandomRole,
  type SizeDecl,
  type SymbolicShape,
  type TensorDecl,
  type Update,
} from "./spec.ts";

/** Keywords that only network rules use; one of them (or a definition) makes a file a network rule. */
const NETWORK_KEYWORDS = [
  "sizes",
  "size",
  "choice",
  "teacher",
  "random",
  "input",
  "target",
  "samples",
  "error",
  "minibatch",
  "learning-rate",
  "renormalize",
];
const KEYWORDS = new Set([
  ...NETWORK_KEYWORDS,
  "rule",
  "description",
  "source",
  "params",
  "param",
  "state",
  "states",
]);

/** A line of the file after comments are removed and continued lines are joined. */
interface LogicalLine {
  /** The text from the first non-blank character; continuation lines joined with "\n". */
  readonly body: string;
  readonly line: number;
  /** Column of the body's first character. */
  readonly column: number;
}

/**
 * Comment-free logical lines; a line with more "(" than ")" continues on the next lines, except
 * the lines of free text (rule, description, source), which are never continued.
 */
function logicalLines(text: string): LogicalLine[] {
  const raw = text.split(/\r?\n/).map((l) => {
    const hash = l.indexOf("#");
    return hash >= 0 ? l.slice(0, hash) : l;
  });
  const out: LogicalLine[] = [];
  for (let i = 0; i < raw.length; i++) {
    const first = raw[i]!;
    if (first.trim() === "") continue;
    const indent = first.length - first.trimStart().length;
    let body = first.trimStart().trimEnd();
    const line = i + 1;
    let open = /^(rule|description|source)(\s|$)/.test(body) ? 0 : balance(body);
    // Counted line by line, so that joining many lines stays linear in their length.
    const parts = [body];
    while (open > 0 && i + 1 < raw.length) {
      i++;
      const next = raw[i]!.trimEnd();
      parts.push(next);
      open += balance(next);
    }
    body = parts.join("\n");
    out.push({ body, line, column: indent + 1 });
  }
  return out;
}

function balance(s: string): number {
  let open = 0;
  for (const ch of s) {
    if (ch === "(") open++;
    else if (ch === ")") open--;
  }
  return open;
}

/** Whether the text is a network rule (else it is a scalar rule for src/rules/parse-rule.ts). */
export function isNetworkRuleText(text: string): boolean {
  return logicalLines(text).some(({ body }) => {
    const word = /^([A-Za-z][A-Za-z-]*)/.exec(body)?.[1] ?? "";
    if (NETWORK_KEYWORDS.includes(word)) return true;
    if ((word === "state" || word === "states") && /[[~]/.test(body)) return true;
    return !KEYWORDS.has(word) && /^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(body);
  });
}

type NameKind =
  | "size"
  | "param"
  | "choice"
  | "teacher"
  | "random"
  | "input"
  | "target"
  | "state"
  | "definition";

/** Parses a network rule file; `file` names it in error messages. */
export function parseNetworkRule(text: string, file = "rule"): NetworkRuleSpec {
  const fail = (reason: string, at: At): never => {
    throw new RuleError(reason, at.line, at.column, file);
  };
  let name: string | undefined;
  let description: string | undefined;
  let source: string | undefined;
  let kind: { kind: "flow" | "map"; at: At } | undefined;
  const sizes: SizeDecl[] = [];
  const params: ParamDecl[] = [];
  const choices: ChoiceDecl[] = [];
  const fixed: TensorDecl[] = [];
  const inputs: TensorDecl[] = [];
  const targets: Definition[] = [];
  const states: TensorDecl[] = [];
  const definitions: Definition[] = [];
  const updates = new Map<string, Update>();
  let error: Definition | undefined;
  let samples: NetworkRuleSpec["samples"];
  let minibatch: NetworkRuleSpec["minibatch"];
  let learningRate: NetworkRuleSpec["learningRate"];
  const renormalize: { state: string; at: At }[] = [];
  const declared = new Map<string, { kind: NameKind; at: At }>();
  // Choices of functions are callable wherever they are declared in the file.
  const functions = new Set(BUILTIN_FUNCTIONS);
  for (const { body } of logicalLines(text)) {
    const m = /^choice\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(body);
    if (m && isElementwise(m[2]!)) functions.add(m[1]!);
  }
  const expr = (s: TokenStream) => parseMatrixExpr(s, functions);
  const whole = (s: TokenStream) => wholeExpr(s, functions);

  const declare = (id: string, what: NameKind, at: At) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(id))
      fail(`${what} name must be an identifier like W1, found "${id}"`, at);
    if (NETWORK_RESERVED.has(id) || KEYWORDS.has(id)) {
      fail(`"${id}" is a word of the rule language (a keyword, function or law): choose another name`, at);
    }
    const prev = declared.get(id);
    if (prev)
      fail(`"${id}" is declared twice (first as a ${prev.kind} at ${prev.at.line}:${prev.at.column})`, at);
    declared.set(id, { kind: what, at });
  };

  for (const logical of logicalLines(text)) {
    const { body, line } = logical;
    const col = (offset: number) => logical.column + offset;
    const stream = (offset: number) =>
      new TokenStream(tokenize(body.slice(offset), line, col(offset), file), file);
    const keyword = /^([A-Za-z][A-Za-z-]*)(\s+|$)/.exec(body);
    const word = keyword?.[1] ?? "";
    const restAt = keyword ? keyword[0].length : 0;
    const rest = body.slice(restAt).trim();
    const here: At = { line, column: col(0) };

    if (word === "rule") {
      if (name !== undefined) fail(`second "rule" line (the rule is already named "${name}")`, here);
      if (!/^[A-Za-z0-9_.-]+$/.test(rest)) {
        fail(`rule name must be letters, digits, "-", "_" or ".", found "${rest}"`, {
          line,
          column: col(restAt),
        });
      }
      name = rest;
    } else if (word === "description") description = rest;
    else if (word === "source") source = rest;
    else if (word === "sizes" || word === "size") {
      const s = stream(restAt);
      for (;;) {
        const t = expectName(s, "a size name");
        let dflt: Dim | undefined;
        if (s.isOp("=")) {
          s.next();
          dflt = parseDim(s, "the default of a size");
        }
        declare(t.text, "size", s.at(t));
        if (dflt === undefined)
          fail(`size "${t.text}" needs a default value, e.g. "${t.text} = 10"`, s.at(t));
        sizes.push({ name: t.text, default: dflt!, at: s.at(t) });
        if (!s.isOp(",")) break;
        s.next();
      }
      s.expectEnd("the sizes");
    } else if (word === "params" || word === "param") {
      const s = stream(restAt);
      for (;;) {
        const t = expectName(s, "a parameter name");
        declare(t.text, "param", s.at(t));
        if (s.isOp("=")) {
          s.next();
          params.push({ name: t.text, default: expr(s), at: s.at(t) });
        } else params.push({ name: t.text, at: s.at(t) });
        if (!s.isOp(",")) break;
        s.next();
      }
      s.expectEnd("the parameters");
    } else if (word === "choice") {
      const s = stream(restAt);
      const t = expectName(s, "the name of the choice");
      declare(t.text, "choice", s.at(t));
      s.expectOp("=", `after "choice ${t.text}"`);
      const options: Token[] = [expectName(s, "an option")];
      while (s.isOp("|")) {
        s.next();
        options.push(expectName(s, "an option"));
      }
      s.expectEnd("the options");
      const functions = options.filter((o) => isElementwise(o.text));
      const laws = options.filter((o) => isLaw(o.text));
      if (functions.length !== options.length && laws.length !== options.length) {
        const bad = options.find((o) => !(functions.length > 0 ? isElementwise(o.text) : isLaw(o.text)))!;
        s.fail(
          `option "${bad.text}" of choice "${t.text}" is not ${functions.length > 0 || laws.length === 0 ? "an elementwise function" : "a law"}` +
            ` (options must all be elementwise functions, or all laws: ${Object.keys(LAWS).join(", ")})`,
          bad,
        );
      }
      const seen = new Set<string>();
      for (const o of options) {
        if (seen.has(o.text)) s.fail(`option "${o.text}" appears twice`, o);
        seen.add(o.text);
      }
      choices.push({
        name: t.text,
        options: options.map((o) => o.text),
        of: functions.length > 0 ? "function" : "law",
        at: s.at(t),
      });
    } else if (
      word === "teacher" ||
      word === "random" ||
      word === "input" ||
      word === "state" ||
      word === "states"
    ) {
      const role: RandomRole = word === "states" ? "state" : word;
      const s = stream(restAt);
      const decl = parseTensorDecl(s, role, (id, at) => declare(id, role, at));
      (role === "state" ? states : role === "input" ? inputs : fixed).push(decl);
    } else if (word === "target") {
      const s = stream(restAt);
      const t = expectName(s, "the target's name");
      declare(t.text, "target", s.at(t));
      s.expectOp("=", `after "target ${t.text}"`);
      targets.push({ name: t.text, expr: whole(s), at: s.at(t) });
    } else if (word === "samples") {
      if (samples) fail(`second "samples" line (first at line ${samples.at.line})`, here);
      const s = stream(restAt);
      const counts: { train?: Dim; test?: Dim } = {};
      for (;;) {
        const t = expectName(s, '"train" or "test"');
        const set = t.text;
        if (set !== "train" && set !== "test") return s.fail(`expected "train" or "test", found "${set}"`, t);
        if (counts[set] !== undefined) s.fail(`"${set}" given twice`, t);
        counts[set] = parseDim(s, `the number of ${set} samples`);
        if (!s.isOp(",")) break;
        s.next();
      }
      s.expectEnd("the sample counts");
      if (counts.train === undefined || counts.test === undefined) {
        fail('"samples" needs both counts: "samples train P, test Q"', here);
      }
      samples = { train: counts.train!, test: counts.test!, at: here };
    } else if (word === "minibatch") {
      if (minibatch) fail(`second "minibatch" line (first at line ${minibatch.at.line})`, here);
      const s = stream(restAt);
      minibatch = { size: parseDim(s, "the minibatch size"), at: here };
      s.expectEnd("the minibatch size");
    } else if (word === "learning-rate") {
      if (learningRate) fail(`second "learning-rate" line (first at line ${learningRate.at.line})`, here);
      const s = stream(restAt);
      if (s.peek().kind === "end") s.fail('missing the learning rate, e.g. "learning-rate 0.1"');
      learningRate = { expr: whole(s), at: here };
    } else if (word === "renormalize") {
      const s = stream(restAt);
      for (;;) {
        const t = expectName(s, "a state to renormalize");
        if (renormalize.some((r) => r.state === t.text)) s.fail(`"${t.text}" is renormalized twice`, t);
        renormalize.push({ state: t.text, at: s.at(t) });
        if (!s.isOp(",")) break;
        s.next();
      }
      s.expectEnd("the renormalized states");
    } else if (word === "error" && /^error\s*=/.test(body)) {
      if (error) fail(`second "error" line (first at line ${error.at.line})`, here);
      const s = stream(body.indexOf("=") + 1);
      error = { name: "error", expr: whole(s), at: here };
    } else {
      const flow = /^d\/dt\s+([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(body);
      const map = /^([A-Za-z_][A-Za-z0-9_]*)'\s*=/.exec(body);
      const definition = /^([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(body);
      if (flow || map) {
        const m = (flow ?? map)!;
        const thisKind = flow ? "flow" : "map";
        const targetAt = { line, column: col(flow ? body.indexOf(m[1]!, 4) : 0) };
        if (kind && kind.kind !== thisKind) {
          fail(
            `update of a ${thisKind} in a rule whose first update (line ${kind.at.line}) is a ${kind.kind}: use either "d/dt W = ..." or "W' = ..." throughout`,
            here,
          );
        }
        kind ??= { kind: thisKind, at: here };
        const prev = updates.get(m[1]!);
        if (prev) fail(`second update of "${m[1]}" (first at line ${prev.at.line})`, targetAt);
        const s = stream(m[0].length);
        updates.set(m[1]!, { state: m[1]!, expr: whole(s), at: targetAt });
      } else if (definition && !KEYWORDS.has(definition[1]!)) {
        declare(definition[1]!, "definition", here);
        const s = stream(definition[0].length);
        definitions.push({ name: definition[1]!, expr: whole(s), at: here });
      } else {
        fail(
          `expected a declaration (rule, sizes, params, choice, teacher, random, input, target, samples, state), ` +
            `a definition "NAME = ...", an update "d/dt W = ..." or "W' = ...", "error = ...", or a protocol line ` +
            `(minibatch, learning-rate, renormalize); found "${body.split("\n")[0]}"`,
          here,
        );
      }
    }
  }

  const top: At = { line: 1, column: 1 };
  if (name === undefined) fail('missing "rule NAME" line', top);
  if (states.length === 0) fail('missing a "state W[rows, cols] ~ LAW" line', top);
  for (const u of updates.values()) {
    const d = declared.get(u.state);
    if (d?.kind !== "state") {
      fail(
        `update of "${u.state}", which is ${d ? `a ${d.kind} (declared at ${d.at.line}:${d.at.column})` : "not declared"}; states: ${states.map((s) => s.name).join(", ")}`,
        u.at,
      );
    }
  }
  for (const s of states) {
    if (!updates.has(s.name)) {
      fail(
        `no update for state "${s.name}" (add "${kind?.kind === "map" ? `${s.name}' = ...` : `d/dt ${s.name} = ...`}")`,
        s.at,
      );
    }
  }
  for (const r of renormalize) {
    if (declared.get(r.state)?.kind !== "state") {
      fail(
        `"renormalize ${r.state}": "${r.state}" is not a state (states: ${states.map((s) => s.name).join(", ")})`,
        r.at,
      );
    }
  }
  for (const d of [
    ...sizes.map((s) => ({ dim: s.default, at: s.at })),
    ...(samples
      ? [
          { dim: samples.train, at: samples.at },
          { dim: samples.test, at: samples.at },
        ]
      : []),
    ...(minibatch ? [{ dim: minibatch.size, at: minibatch.at }] : []),
  ]) {
    if (typeof d.dim === "string" && declared.get(d.dim)?.kind !== "size") {
      fail(
        `"${d.dim}" is not a declared size (sizes: ${sizes.map((s) => s.name).join(", ") || "none"})`,
        d.at,
      );
    }
  }
  if (inputs.length > 0 && !samples)
    fail('a rule with inputs needs "samples train P, test Q"', inputs[0]!.at);
  if (samples && inputs.length === 0)
    fail('"samples" without an "input" line: there is nothing to sample', samples.at);
  if (minibatch && inputs.length === 0)
    fail('"minibatch" without an "input" line: the rule has no samples', minibatch.at);
  if (learningRate && kind!.kind === "map") {
    fail(
      `"learning-rate" applies to a flow; a map writes its step into the update ("W' = W + eta*...")`,
      learningRate.at,
    );
  }
  for (const t of targets) {
    if (inputs.length === 0) fail(`target "${t.name}" without an "input" line`, t.at);
  }

  const parsed = {
    name: name!,
    ...(description !== undefined ? { description } : {}),
    ...(source !== undefined ? { source } : {}),
    file,
    kind: kind!.kind,
    sizes,
    params,
    choices,
    fixed,
    inputs,
    targets,
    ...(samples ? { samples } : {}),
    states,
    definitions,
    updates: states.map((s) => updates.get(s.name)!),
    ...(error ? { error } : {}),
    ...(minibatch ? { minibatch } : {}),
    ...(learningRate ? { learningRate } : {}),
    renormalize,
  };
  return { ...parsed, types: checkNetworkRule(parsed) };
}

function expectName(s: TokenStream, what: string): Token {
  const t = s.peek();
  if (t.kind !== "name") s.fail(`expected ${what}, found ${s.describe(t)}`);
  return s.next();
}

/** A size name or a positive integer. */
function parseDim(s: TokenStream, what: string): Dim {
  const t = s.peek();
  if (t.kind === "name") return s.next().text;
  if (t.kind === "num" && /^\d+$/.test(t.text) && Number(t.text) >= 1) {
    if (Number(t.text) > MAX_SIZE)
      s.fail(`${what} is ${t.text}, larger than the largest size accepted (${MAX_SIZE})`, t);
    s.next();
    return Number(t.text);
  }
  return s.fail(`expected ${what}: a size name or a positive integer, found ${s.describe(t)}`);
}

/** An expression that must fill the rest of the line. */
function wholeExpr(s: TokenStream, functions: ReadonlySet<string>): MExpr {
  if (s.peek().kind === "end") s.fail("missing expression");
  const e = parseMatrixExpr(s, functions);
  s.expectEnd("a complete expression");
  return e;
}

/** `NAME[rows, cols] ~ LAW`, `NAME[n] ~ LAW` (a column) or `NAME ~ LAW` (a scalar). */
function parseTensorDecl(
  s: TokenStream,
  role: RandomRole,
  declare: (id: string, at: At) => void,
): TensorDecl {
  const t = expectName(s, `the ${role}'s name`);
  declare(t.text, s.at(t));
  let shape: SymbolicShape = [1, 1];
  const dimAt: At[] = [];
  if (s.isOp("[")) {
    s.next();
    dimAt.push(s.at());
    const rows = parseDim(s, "a dimension");
    let cols: Dim = 1;
    if (s.isOp(",")) {
      s.next();
      dimAt.push(s.at());
      cols = parseDim(s, "a dimension");
    }
    s.expectOp("]", "to close the shape");
    shape = [rows, cols];
  }
  if (!s.isOp("~")) {
    s.fail(
      `expected "~ LAW" after ${t.text}'s shape, found ${s.describe()} (e.g. "~ normal(sd = 1/sqrt(M))", "~ signs(0.1)" or "~ zeros")`,
    );
  }
  s.next();
  const law = parseLaw(s);
  s.expectEnd("the law");
  return { name: t.text, role, shape, law, at: s.at(t), ...(dimAt.length > 0 ? { dimAt } : {}) };
}

/** `normal(sd = 1/sqrt(M))`, `signs(alpha)`, `zeros`, or a choice of laws with arguments. */
function parseLaw(s: TokenStream): LawSpec {
  const t = expectName(s, "a law (normal, uniform, signs, zeros, identity)");
  const args = new Map<string, MExpr>();
  const argAt = new Map<string, At>();
  if (s.isOp("(")) {
    const open = s.next();
    if (!s.isOp(")")) {
      for (;;) {
        let key: string | undefined;
        const start = s.peek();
        if (s.peek().kind === "name" && s.isOp("=", 1)) {
          key = s.next().text;
          s.next();
        }
        const valueAt = s.peek();
        const value = parseMatrixExpr(s);
        const k = key ?? own(LAWS, t.text)?.positional;
        if (k === undefined) {
          s.fail(
            `arguments of ${t.text} are named, e.g. ${t.text === "normal" ? "normal(sd = 0.1)" : `${t.text}(name = value)`}`,
            valueAt,
          );
        }
        if (args.has(k)) s.fail(`argument "${k}" given twice`, start);
        args.set(k, value);
        argAt.set(k, s.at(start));
        if (!s.isOp(",")) break;
        s.next();
      }
    }
    s.expectOp(")", `to close the "(" at ${open.line}:${open.column}`);
  }
  return { law: t.text, args: recordOf(args), argAt: recordOf(argAt), at: s.at(t) };
}

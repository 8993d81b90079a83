/**
 * The shape checker of network rules: infers the type (symbolic shape, whether it varies over
 * samples, whether it is diagonal) of every definition, target, update and the error, and
 * refuses what cannot be computed, with line and column:
 * - a product whose inner dimensions differ (both shapes named), an elementwise operation of
 *   different shapes, a division by a matrix;
 * - an undeclared size in a shape, an unknown name, a function that does not exist, a tensor
 *   used as a function or a function as a value;
 * - an update whose shape is not its state's, or that still varies over samples (it needs
 *   `mean(...)`); `mean` of something that does not vary over samples;
 * - a law with missing or unknown arguments, laws whose arguments are not numbers.
 * Dimensions are compared by name: `[N, M]` and `[N, K]` differ even if M and K have equal
 * defaults, so a rule stays correct for every size it can be run at.
 */
import { RuleError } from "../rule-error.ts";
import { checkNesting } from "./depth.ts";
import { ELEMENTWISE, isElementwise, isLaw, isStructural, LAWS, STRUCTURAL } from "./functions.ts";
import { formatMatrixExpr } from "./parse-matrix-expr.ts";
import type {
  At,
  Dim,
  LawSpec,
  MExpr,
  NetworkRuleSpec,
  SymbolicShape,
  TensorDecl,
  TensorType,
} from "./spec.ts";
import { namesIn } from "./walk.ts";

type Parsed = Omit<NetworkRuleSpec, "types">;

/** What a context may refer to: numbers only (laws, defaults), fixed things, or everything. */
type Scope = "numbers" | "targets" | "all";

const SCALAR: SymbolicShape = [1, 1];

export function formatShape(shape: SymbolicShape): string {
  return `[${shape[0]},${shape[1]}]`;
}

function sameDim(a: Dim, b: Dim): boolean {
  return a === b;
}

function isScalar(t: TensorType): boolean {
  return t.shape[0] === 1 && t.shape[1] === 1;
}

function short(e: MExpr): string {
  const s = formatMatrixExpr(e);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Checks a parsed rule; returns the type of every named value (tensors, targets, definitions). */
export function checkNetworkRule(rule: Parsed): Map<string, TensorType> {
  const file = rule.file;
  const fail = (reason: string, at: At): never => {
    throw new RuleError(reason, at.line, at.column, file);
  };
  const sizes = new Set(rule.sizes.map((s) => s.name));
  const params = new Set(rule.params.map((p) => p.name));
  const choices = new Map(rule.choices.map((c) => [c.name, c]));
  const tensors = new Map<string, TensorDecl>(
    [...rule.fixed, ...rule.inputs, ...rule.states].map((d) => [d.name, d]),
  );
  const targetExprs = new Map(rule.targets.map((t) => [t.name, t]));
  const definitionExprs = new Map(rule.definitions.map((d) => [d.name, d]));
  checkNesting(rule);
  const types = new Map<string, TensorType>();
  const visiting = new Set<string>();

  for (const d of tensors.values()) {
    d.shape.forEach((dim, k) => {
      if (typeof dim === "string" && !sizes.has(dim)) {
        fail(
          `undeclared size "${dim}" in the shape of ${d.name} (sizes: ${[...sizes].join(", ") || "none"}; declare it with "sizes ${dim} = ...")`,
          d.dimAt?.[k] ?? d.at,
        );
      }
    });
    types.set(d.name, { shape: d.shape, perSample: d.role === "input", diagonal: false });
  }

  const unknown = (name: string, applied: boolean, known: string) =>
    applied
      ? `unknown function "${name}" (elementwise: ${ELEMENTWISE.join(", ")}; also ${STRUCTURAL.join(", ")}${
          rule.choices.some((c) => c.of === "function")
            ? `; choices: ${rule.choices
                .filter((c) => c.of === "function")
                .map((c) => c.name)
                .join(", ")}`
            : ""
        })`
      : `unknown name "${name}" (${known})`;

  const nameType = (name: string, at: At, scope: Scope, applied = false): TensorType => {
    if (sizes.has(name) || params.has(name)) return { shape: SCALAR, perSample: false, diagonal: false };
    if (choices.has(name)) {
      return fail(
        choices.get(name)!.of === "function"
          ? `"${name}" is a choice of functions: call it, e.g. ${name}(x)`
          : `"${name}" is a choice of laws: it can only follow "~", e.g. "state W[N,M] ~ ${name}(sd = 1)"`,
        at,
      );
    }
    if (isElementwise(name) || isStructural(name))
      return fail(`"${name}" is a function: call it, e.g. ${name}(x)`, at);
    if (scope === "numbers") {
      const known = tensors.has(name) || targetExprs.has(name) || definitionExprs.has(name);
      return fail(
        known
          ? `"${name}" is a tensor; only numbers, sizes and parameters may appear here`
          : unknown(
              name,
              applied,
              `sizes: ${[...sizes].join(", ") || "none"}; params: ${[...params].join(", ") || "none"}`,
            ),
        at,
      );
    }
    const decl = tensors.get(name);
    if (decl) {
      if (scope === "targets" && decl.role === "state") {
        fail(`target refers to the state "${name}": targets are computed once, from teachers and inputs`, at);
      }
      return types.get(name)!;
    }
    const def = targetExprs.get(name) ?? (scope === "all" ? definitionExprs.get(name) : undefined);
    if (def) {
      const known = types.get(name);
      if (known) return known;
      if (visiting.has(name)) fail(`"${name}" is defined in terms of itself`, at);
      visiting.add(name);
      const t = infer(def.expr, targetExprs.has(name) ? "targets" : "all");
      visiting.delete(name);
      types.set(name, t);
      return t;
    }
    if (definitionExprs.has(name))
      fail(`target refers to the definition "${name}": targets use teachers and inputs`, at);
    const all = [
      ...tensors.keys(),
      ...targetExprs.keys(),
      ...(scope === "all" ? definitionExprs.keys() : []),
    ];
    return fail(unknown(name, applied, `known: ${[...all, ...sizes, ...params].join(", ")}`), at);
  };

  const elementwise = (op: string, l: TensorType, r: TensorType, at: At): TensorType => {
    const perSample = l.perSample || r.perSample;
    if (isScalar(l)) return { shape: r.shape, perSample, diagonal: false };
    if (isScalar(r)) return { shape: l.shape, perSample, diagonal: false };
    if (!sameDim(l.shape[0], r.shape[0]) || !sameDim(l.shape[1], r.shape[1])) {
      fail(`shape mismatch in "${op}": ${formatShape(l.shape)} and ${formatShape(r.shape)}`, at);
    }
    return { shape: l.shape, perSample, diagonal: op === ".*" && l.diagonal && r.diagonal };
  };

  const infer = (e: MExpr, scope: Scope): TensorType => {
    switch (e.kind) {
      case "num":
        return { shape: SCALAR, perSample: false, diagonal: false };
      case "name":
        return nameType(e.name, e.at, scope, e.applied === true);
      case "product": {
        const l = infer(e.left, scope);
        const r = infer(e.right, scope);
        const perSample = l.perSample || r.perSample;
        if (isScalar(l)) return { ...r, perSample };
        if (isScalar(r)) return { ...l, perSample };
        if (!sameDim(l.shape[1], r.shape[0])) {
          fail(
            `shape mismatch in the product ${short(e.left)} times ${short(e.right)}: ${formatShape(l.shape)} times ${formatShape(r.shape)} (${l.shape[1]} columns against ${r.shape[0]} rows)`,
            e.at,
          );
        }
        return { shape: [l.shape[0], r.shape[1]], perSample, diagonal: l.diagonal && r.diagonal };
      }
      case "hadamard":
        return elementwise(".*", infer(e.left, scope), infer(e.right, scope), e.at);
      case "elementDivide":
        return elementwise("./", infer(e.left, scope), infer(e.right, scope), e.at);
      case "add":
        return elementwise("+", infer(e.left, scope), infer(e.right, scope), e.at);
      case "subtract":
        return elementwise("-", infer(e.left, scope), infer(e.right, scope), e.at);
      case "divide": {
        const l = infer(e.left, scope);
        const r = infer(e.right, scope);
        if (!isScalar(r)) {
          fail(
            `"/" divides by a 1 x 1 value, but ${short(e.right)} is ${formatShape(r.shape)}: use "./" to divide elementwise`,
            e.at,
          );
        }
        return { ...l, perSample: l.perSample || r.perSample };
      }
      case "negate":
        return infer(e.arg, scope);
      case "transpose": {
        const t = infer(e.arg, scope);
        return { ...t, shape: [t.shape[1], t.shape[0]] };
      }
      case "power": {
        const t = infer(e.base, scope);
        if (!e.dotted && !isScalar(t)) {
          fail(
            `"^" raises a 1 x 1 value to a power, but ${short(e.base)} is ${formatShape(t.shape)}: use ".^" elementwise`,
            e.at,
          );
        }
        if (e.exponent < 0 && t.diagonal)
          fail("a negative power of a diagonal matrix has infinite entries", e.at);
        return { ...t, diagonal: t.diagonal && e.exponent > 0 };
      }
      case "call":
        return call(e, scope);
    }
  };

  const call = (e: MExpr & { kind: "call" }, scope: Scope): TensorType => {
    const choice = choices.get(e.fn);
    if (choice?.of === "law") fail(`"${e.fn}" is a choice of laws: it can only follow "~"`, e.at);
    const elementwiseFn = isElementwise(e.fn) || choice?.of === "function";
    if (!elementwiseFn && !isStructural(e.fn)) {
      if (tensors.has(e.fn) || definitionExprs.has(e.fn) || targetExprs.has(e.fn)) {
        fail(
          `"${e.fn}" is a tensor, not a function (for a transpose times a value write ${e.fn}' (x) or ${e.fn}' x)`,
          e.at,
        );
      }
      fail(unknown(e.fn, true, ""), e.at);
    }
    if (e.args.length !== 1) fail(`${e.fn} takes one argument, found ${e.args.length}`, e.at);
    if (e.derivative && !elementwiseFn) fail(`${e.fn}' : only elementwise functions have a derivative`, e.at);
    const arg = infer(e.args[0]!, scope);
    if (elementwiseFn) return { ...arg, diagonal: false };
    if (e.fn === "mean") {
      if (scope === "numbers") fail("mean(...) averages over samples; there are none here", e.at);
      if (!arg.perSample) {
        fail(`mean(...) averages over samples, but ${short(e.args[0]!)} does not vary over samples`, e.at);
      }
      return { ...arg, perSample: false };
    }
    if (e.fn === "sum") return { shape: SCALAR, perSample: arg.perSample, diagonal: false };
    // diag(v)
    const [r, c] = arg.shape;
    if (r !== 1 && c !== 1)
      fail(`diag(...) takes a vector, but ${short(e.args[0]!)} is ${formatShape(arg.shape)}`, e.at);
    const n = r === 1 ? c : r;
    return { shape: [n, n], perSample: arg.perSample, diagonal: true };
  };

  const scalarExpr = (e: MExpr, what: string, scope: Scope = "numbers") => {
    const t = infer(e, scope);
    if (!isScalar(t)) fail(`${what} must be a 1 x 1 value, but ${short(e)} is ${formatShape(t.shape)}`, e.at);
    return t;
  };

  const checkLaw = (law: LawSpec, decl: TensorDecl) => {
    const choice = choices.get(law.law);
    if (choice?.of === "function") fail(`"${law.law}" is a choice of functions, not of laws`, law.at);
    if (!isLaw(law.law) && !choice) {
      fail(`unknown law "${law.law}" (laws: ${Object.keys(LAWS).join(", ")}, or a choice of laws)`, law.at);
    }
    const options = choice ? choice.options : [law.law];
    for (const option of options) {
      const sig = LAWS[option]!;
      const given = Object.keys(law.args);
      const allowed = new Set([...sig.forms.flat(), ...sig.optional]);
      for (const g of given) {
        if (!allowed.has(g)) {
          fail(
            `${option} has no argument "${g}" (arguments: ${[...allowed].join(", ") || "none"})`,
            law.argAt[g] ?? law.at,
          );
        }
      }
      const matching = sig.forms.filter((form) => form.every((k) => given.includes(k)));
      const complete = matching.find((form) =>
        given.every((g) => form.includes(g) || sig.optional.includes(g)),
      );
      if (!complete) {
        const forms = sig.forms
          .map((f) => `${option}(${f.map((k) => `${k} = ...`).join(", ")})`)
          .join(" or ");
        fail(`${option} needs ${forms}${choice ? ` (law choice "${choice.name}")` : ""}`, law.at);
      }
      if (option === "identity" && !sameDim(decl.shape[0], decl.shape[1])) {
        fail(`identity needs a square shape, but ${decl.name} is ${formatShape(decl.shape)}`, law.at);
      }
    }
    for (const [key, value] of Object.entries(law.args)) scalarExpr(value, `argument "${key}" of ${law.law}`);
  };

  rule.params.forEach((p, k) => {
    if (!p.default) return;
    scalarExpr(p.default, `the default of ${p.name}`);
    // Defaults are evaluated in declaration order (src/ir/bind.ts): only earlier ones exist.
    const later = rule.params.slice(k).map((q) => q.name);
    const use = namesIn(p.default).find((u) => later.includes(u.name));
    if (use) {
      fail(
        `the default of ${p.name} uses ${use.name === p.name ? "itself" : `"${use.name}", declared after it`}: a default may use numbers, sizes and earlier parameters`,
        use.at,
      );
    }
  });
  for (const d of tensors.values()) checkLaw(d.law, d);
  for (const t of rule.targets) {
    const type = nameType(t.name, t.at, "targets");
    if (!type.perSample) fail(`target "${t.name}" does not depend on an input`, t.at);
  }
  for (const d of rule.definitions) nameType(d.name, d.at, "all");
  rule.updates.forEach((u, k) => {
    const state = rule.states[k]!;
    const t = infer(u.expr, "all");
    if (t.perSample) {
      fail(
        `the update of ${state.name} varies over samples: average it over the minibatch with mean(...)`,
        u.at,
      );
    }
    if (!(sameDim(t.shape[0], state.shape[0]) && sameDim(t.shape[1], state.shape[1])) && !isScalar(t)) {
      fail(
        `the update of ${state.name} is ${formatShape(t.shape)}, but ${state.name} is ${formatShape(state.shape)}`,
        u.at,
      );
    }
    if (isScalar(t) && !isScalar({ shape: state.shape, perSample: false, diagonal: false })) {
      fail(`the update of ${state.name} is 1 x 1, but ${state.name} is ${formatShape(state.shape)}`, u.at);
    }
  });
  if (rule.error) {
    const t = infer(rule.error.expr, "all");
    if (t.perSample) fail("error varies over samples: average it with mean(...)", rule.error.at);
    if (!isScalar(t)) fail(`error must be 1 x 1, but it is ${formatShape(t.shape)}`, rule.error.at);
  }
  if (rule.learningRate) scalarExpr(rule.learningRate.expr, "the learning rate");
  return types;
}

/**
 * Lowering a network rule to the tensor IR at concrete sizes and choices (src/ir/program.ts).
 *
 * Per-sample expressions (those of the inputs and targets) become values with a sample axis, so
 * a minibatch is a transformation of the rule as written, not a second implementation:
 * `mean(e h')` over S samples becomes sampleSum(e ⊙ h') / S. Products follow the rule's own
 * association; a 1 x 1 factor is a scalar multiple; a product whose inner dimension is 1 (an
 * outer product) is an elementwise product with broadcasting; a product with diag(v) scales rows
 * or columns by v. Identical subexpressions are computed once; constant subexpressions are
 * folded in float64; subexpressions that depend neither on the states nor on the data (the step
 * size lr S / P, a transposed sign vector) are hoisted: computed once per run, on the host.
 *
 * A flow `d/dt W = F` is stepped as W + h F with h = lr S / P (the learning rate per epoch
 * spread over the P / S minibatch steps; lr for a rule without data); a map's update is the new
 * value itself.
 */
import type { MExpr, NetworkRuleSpec } from "../rules/network/spec.ts";
import { RuleError } from "../rules/rule-error.ts";
import { formatBytes } from "../util/bytes.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { own } from "../util/record.ts";
import { resolveChoices, resolveSizes } from "./bind.ts";
import { applyUnary } from "./elementwise.ts";
import type {
  BinaryFn,
  CompiledRule,
  FixedInfo,
  IrNode,
  IrOp,
  IrProgram,
  IrType,
  SampleSet,
  StateInfo,
  TensorInfo,
  UnaryFn,
} from "./program.ts";

/**
 * Most entries a declared tensor may have (an input over all its samples), 2^27 float64 values
 * (1 GiB), so that sizes that fit MAX_SIZE one by one cannot ask for a matrix beyond memory.
 */
export const MAX_ENTRIES = 2 ** 27;

/** The sizes and choices a rule is compiled at; anything absent takes its default. */
export interface CompileOptions {
  readonly sizes?: Readonly<Record<string, number>>;
  readonly choices?: Readonly<Record<string, string>>;
}

/** A lowered value: a node, or a diagonal matrix kept as its diagonal (a column node). */
type Value = { readonly node: number } | { readonly diagonal: number };

const SCALAR_TYPE = (perSample: boolean): IrType => ({ rows: 1, cols: 1, perSample });

/**
 * A pool of IR nodes with common subexpressions merged, constants folded and types inferred:
 * the builder of every program (the programs of one rule share one pool).
 */
export class Graph {
  readonly nodes: IrNode[] = [];
  private readonly keys = new Map<string, number>();

  add(op: IrOp, type: IrType): number {
    const key = JSON.stringify([op, type]);
    const known = this.keys.get(key);
    if (known !== undefined) return known;
    this.nodes.push({ ...op, type });
    this.keys.set(key, this.nodes.length - 1);
    return this.nodes.length - 1;
  }

  type(n: number): IrType {
    return this.nodes[n]!.type;
  }

  constantValue(n: number): number | undefined {
    const node = this.nodes[n]!;
    return node.op === "constant" ? node.value : undefined;
  }

  constant(value: number): number {
    return this.add({ op: "constant", value }, SCALAR_TYPE(false));
  }

  unary(fn: UnaryFn, a: number, exponent?: number): number {
    const c = this.constantValue(a);
    if (c !== undefined) return this.constant(applyUnary(fn, c, exponent));
    return this.add({ op: "unary", fn, a, ...(exponent !== undefined ? { exponent } : {}) }, this.type(a));
  }

  binary(fn: BinaryFn, a: number, b: number): number {
    const ca = this.constantValue(a);
    const cb = this.constantValue(b);
    if (ca !== undefined && cb !== undefined) {
      return this.constant(
        fn === "add" ? ca + cb : fn === "sub" ? ca - cb : fn === "mul" ? ca * cb : ca / cb,
      );
    }
    const ta = this.type(a);
    const tb = this.type(b);
    const dim = (x: number, y: number) => {
      if (x !== y && x !== 1 && y !== 1) {
        throw new InvalidArgumentError("lowerRule", "binary operands", "broadcastable shapes", [ta, tb]);
      }
      return Math.max(x, y);
    };
    return this.add(
      { op: "binary", fn, a, b },
      { rows: dim(ta.rows, tb.rows), cols: dim(ta.cols, tb.cols), perSample: ta.perSample || tb.perSample },
    );
  }

  transpose(a: number): number {
    const t = this.type(a);
    if (t.rows === 1 && t.cols === 1) return a;
    const inner = this.nodes[a]!;
    if (inner.op === "transpose") return inner.a;
    return this.add({ op: "transpose", a }, { rows: t.cols, cols: t.rows, perSample: t.perSample });
  }

  matmul(a: number, b: number): number {
    const ta = this.type(a);
    const tb = this.type(b);
    return this.add(
      { op: "matmul", a, b },
      { rows: ta.rows, cols: tb.cols, perSample: ta.perSample || tb.perSample },
    );
  }
}

/** What a program's names stand for while lowering it. */
interface Context {
  /** Where data nodes read from; "targets" lowers target names to their expressions. */
  readonly samples: SampleSet | "targets";
  readonly sampleCount: number;
}

/** Compiles a network rule at concrete sizes and choices. */
export function compileRule(rule: NetworkRuleSpec, options: CompileOptions = {}): CompiledRule {
  const sizes = resolveSizes(rule, options.sizes);
  const choices = resolveChoices(rule, options.choices);
  const graph = new Graph();
  const dim = (d: string | number) => (typeof d === "number" ? d : own(sizes, d)!);
  const info = (d: { name: string; shape: readonly [string | number, string | number] }): TensorInfo => ({
    name: d.name,
    rows: dim(d.shape[0]),
    cols: dim(d.shape[1]),
  });
  const renormalized = new Set(rule.renormalize.map((r) => r.state));
  const states: StateInfo[] = rule.states.map((s) => ({ ...info(s), renormalize: renormalized.has(s.name) }));
  const drawn: FixedInfo[] = rule.fixed.map((f) => ({ ...info(f), origin: "drawn" }));
  const params = rule.params.map((p) => p.name);
  const inputs = rule.inputs.map(info);
  const train = rule.samples ? dim(rule.samples.train) : 0;
  const test = rule.samples ? dim(rule.samples.test) : 0;
  for (const d of [...rule.states, ...rule.fixed, ...rule.inputs]) {
    const { rows, cols } = info(d);
    const count = d.role === "input" ? Math.max(train, test) : 1;
    if (rows * cols * count > MAX_ENTRIES) {
      throw new RuleError(
        `${d.name} would hold ${rows} x ${cols}${count > 1 ? ` x ${count} samples` : ""} = ${rows * cols * count} entries (${formatBytes(8 * rows * cols * count)} in float64), more than the ${MAX_ENTRIES} a tensor may have: use smaller sizes`,
        d.at.line,
        d.at.column,
        rule.file,
      );
    }
  }
  const minibatch = rule.samples ? (rule.minibatch ? dim(rule.minibatch.size) : train) : 0;
  if (rule.samples && train % minibatch !== 0) {
    const at = rule.minibatch?.at ?? rule.samples.at;
    throw new RuleError(
      `the minibatch (${minibatch} samples) must divide the ${train} training samples, so that an epoch is a whole number of steps`,
      at.line,
      at.column,
      rule.file,
    );
  }
  const definitions = new Map(rule.definitions.map((d) => [d.name, d.expr]));
  const targetIndex = new Map(rule.targets.map((t, k) => [t.name, k]));
  // Filled when the targets are lowered, before any program that reads them as data.
  const targetTypes: TensorInfo[] = [];

  const lowerIn = (context: Context) => {
    const memo = new Map<string, Value>();
    const dense = (v: Value): number => {
      if ("node" in v) return v.node;
      const t = graph.type(v.diagonal);
      return t.rows === 1
        ? v.diagonal
        : graph.add({ op: "diag", a: v.diagonal }, { rows: t.rows, cols: t.rows, perSample: t.perSample });
    };
    const isScalar = (n: number) => graph.type(n).rows === 1 && graph.type(n).cols === 1;
    const nameValue = (name: string): Value => {
      const size = own(sizes, name);
      if (size !== undefined) return { node: graph.constant(size) };
      const p = params.indexOf(name);
      if (p >= 0) return { node: graph.add({ op: "param", index: p }, SCALAR_TYPE(false)) };
      const s = rule.states.findIndex((x) => x.name === name);
      if (s >= 0)
        return { node: graph.add({ op: "state", index: s }, { ...shape(states[s]!), perSample: false }) };
      const f = rule.fixed.findIndex((x) => x.name === name);
      if (f >= 0)
        return { node: graph.add({ op: "fixed", index: f }, { ...shape(drawn[f]!), perSample: false }) };
      const i = rule.inputs.findIndex((x) => x.name === name);
      if (i >= 0)
        return { node: graph.add({ op: "data", index: i }, { ...shape(inputs[i]!), perSample: true }) };
      const known = memo.get(name);
      if (known) return known;
      const t = targetIndex.get(name);
      let v: Value;
      if (t !== undefined && context.samples !== "targets") {
        const type = targetTypes[t]!;
        v = {
          node: graph.add({ op: "data", index: inputs.length + t }, { ...shape(type), perSample: true }),
        };
      } else if (t !== undefined) v = { node: dense(lower(rule.targets[t]!.expr)) };
      else v = lower(definitions.get(name)!);
      memo.set(name, v);
      return v;
    };
    const product = (l: Value, r: Value): Value => {
      if ("diagonal" in l && "diagonal" in r)
        return { diagonal: graph.binary("mul", l.diagonal, r.diagonal) };
      if ("diagonal" in l) {
        const rn = dense(r);
        return isScalar(rn)
          ? { diagonal: graph.binary("mul", l.diagonal, rn) }
          : { node: graph.binary("mul", l.diagonal, rn) };
      }
      if ("diagonal" in r) {
        const ln = dense(l);
        return isScalar(ln)
          ? { diagonal: graph.binary("mul", ln, r.diagonal) }
          : { node: graph.binary("mul", ln, graph.transpose(r.diagonal)) };
      }
      const a = l.node;
      const b = r.node;
      if (isScalar(a) || isScalar(b) || graph.type(a).cols === 1) return { node: graph.binary("mul", a, b) };
      return { node: graph.matmul(a, b) };
    };
    const elementwise = (fn: BinaryFn, l: Value, r: Value): Value => {
      if ("diagonal" in l && "diagonal" in r && fn === "mul")
        return { diagonal: graph.binary("mul", l.diagonal, r.diagonal) };
      return { node: graph.binary(fn, dense(l), dense(r)) };
    };
    const lower = (e: MExpr): Value => {
      switch (e.kind) {
        case "num":
          return { node: graph.constant(e.value) };
        case "name":
          return nameValue(e.name);
        case "product":
          return product(lower(e.left), lower(e.right));
        case "hadamard":
          return elementwise("mul", lower(e.left), lower(e.right));
        case "elementDivide":
          return elementwise("div", lower(e.left), lower(e.right));
        case "divide": {
          const l = lower(e.left);
          const r = dense(lower(e.right));
          return "diagonal" in l
            ? { diagonal: graph.binary("div", l.diagonal, r) }
            : { node: graph.binary("div", l.node, r) };
        }
        case "add":
          return elementwise("add", lower(e.left), lower(e.right));
        case "subtract":
          return elementwise("sub", lower(e.left), lower(e.right));
        case "negate": {
          const v = lower(e.arg);
          return "diagonal" in v
            ? { diagonal: graph.unary("negate", v.diagonal) }
            : { node: graph.unary("negate", v.node) };
        }
        case "transpose": {
          const v = lower(e.arg);
          return "diagonal" in v ? v : { node: graph.transpose(v.node) };
        }
        case "power": {
          const v = lower(e.base);
          if (e.exponent === 1) return v;
          if ("diagonal" in v && e.exponent > 0)
            return { diagonal: graph.unary("pow", v.diagonal, e.exponent) };
          return { node: graph.unary("pow", dense(v), e.exponent) };
        }
        case "call":
          return call(e);
      }
    };
    const call = (e: MExpr & { kind: "call" }): Value => {
      const arg = lower(e.args[0]!);
      if (e.fn === "mean") {
        const mean = (n: number) =>
          graph.binary(
            "div",
            graph.add({ op: "sampleSum", a: n }, { ...graph.type(n), perSample: false }),
            graph.constant(context.sampleCount),
          );
        return "diagonal" in arg ? { diagonal: mean(arg.diagonal) } : { node: mean(arg.node) };
      }
      if (e.fn === "sum") {
        const n = "diagonal" in arg ? arg.diagonal : arg.node;
        return {
          node: isScalar(n) ? n : graph.add({ op: "sum", a: n }, SCALAR_TYPE(graph.type(n).perSample)),
        };
      }
      if (e.fn === "diag") {
        const v = dense(arg);
        return { diagonal: graph.type(v).rows === 1 ? graph.transpose(v) : v };
      }
      const name = own(choices, e.fn) ?? e.fn;
      const fn = (e.derivative ? `${name}'` : name) as UnaryFn;
      if (fn === "linear") return arg;
      return { node: graph.unary(fn, dense(arg)) };
    };
    return { lower, dense };
  };

  // Targets: per-sample values of the inputs, computed once on the host.
  const targetsLowering = lowerIn({ samples: "targets", sampleCount: 0 });
  const targetOutputs = rule.targets.map((t, k) => {
    const n = targetsLowering.dense(targetsLowering.lower(t.expr));
    const type = graph.type(n);
    targetTypes[k] = { name: t.name, rows: type.rows, cols: type.cols };
    return n;
  });
  const data = [...inputs, ...targetTypes];

  // The step over a minibatch, the field over the training set, the error over each set.
  const samples: SampleSet = rule.samples ? "minibatch" : "none";
  const stepLowering = lowerIn({ samples, sampleCount: minibatch });
  const stepOutputs = rule.updates.map((u, k) => {
    const update = stepLowering.dense(stepLowering.lower(u.expr));
    if (rule.kind === "map") return broadcastTo(graph, update, states[k]!);
    const stateNode = graph.add({ op: "state", index: k }, { ...shape(states[k]!), perSample: false });
    if (!rule.learningRate) {
      const at = rule.updates[0]!.at;
      throw new RuleError(
        'a flow needs a "learning-rate" line to be stepped (W + lr S/P dW/dt), e.g. "learning-rate 0.1"',
        at.line,
        at.column,
        rule.file,
      );
    }
    const rate = stepLowering.dense(stepLowering.lower(rule.learningRate.expr));
    const h = rule.samples
      ? graph.binary("div", graph.binary("mul", rate, graph.constant(minibatch)), graph.constant(train))
      : rate;
    return graph.binary("add", stateNode, graph.binary("mul", h, update));
  });
  const fieldLowering = lowerIn({ samples: rule.samples ? "train" : "none", sampleCount: train });
  const fieldOutputs =
    rule.kind === "flow"
      ? rule.updates.map((u, k) =>
          broadcastTo(graph, fieldLowering.dense(fieldLowering.lower(u.expr)), states[k]!),
        )
      : null;
  const errorOutputs = rule.error
    ? (["train", "test"] as const).map((set) => {
        const count = set === "train" ? train : test;
        const l = lowerIn({ samples: rule.samples ? set : "none", sampleCount: count });
        return l.dense(l.lower(rule.error!.expr));
      })
    : null;

  // Hoisting: maximal subexpressions of the run programs that depend on neither states nor data.
  const runDependent = graph.nodes.map(() => false);
  graph.nodes.forEach((n, i) => {
    runDependent[i] = n.op === "state" || n.op === "data" || operands(n).some((a) => runDependent[a]);
  });
  const isLeaf = (n: IrNode) => ["state", "fixed", "param", "data", "constant"].includes(n.op);
  const hoisted: number[] = [];
  const hoistIndex = new Map<number, number>();
  const runRoots = [...stepOutputs, ...(fieldOutputs ?? []), ...(errorOutputs ?? [])];
  const seen = new Set<number>();
  const findHoisted = (i: number) => {
    if (seen.has(i)) return;
    seen.add(i);
    const n = graph.nodes[i]!;
    if (!runDependent[i]) {
      if (!isLeaf(n) && !hoistIndex.has(i)) {
        hoistIndex.set(i, drawn.length + hoisted.length);
        hoisted.push(i);
      }
      return;
    }
    for (const a of operands(n)) findHoisted(a);
  };
  for (const r of runRoots) findHoisted(r);
  const fixed: FixedInfo[] = [
    ...drawn,
    ...hoisted.map((i, k) => ({
      name: `hoisted${k}`,
      rows: graph.type(i).rows,
      cols: graph.type(i).cols,
      origin: "hoisted" as const,
    })),
  ];

  const program = (outputs: number[], set: SampleSet, count: number, hoist: boolean): IrProgram =>
    extract(graph, outputs, set, count, hoist ? hoistIndex : new Map());
  return {
    name: rule.name,
    kind: rule.kind,
    sizes,
    choices,
    states,
    fixed,
    params,
    data,
    inputCount: inputs.length,
    samples: rule.samples ? { train, test } : null,
    minibatch,
    hoist: program(hoisted, "none", 0, false),
    targets: program(targetOutputs, "train", train, false),
    step: program(stepOutputs, samples, minibatch, true),
    field: fieldOutputs ? program(fieldOutputs, rule.samples ? "train" : "none", train, true) : null,
    error: errorOutputs
      ? {
          train: program([errorOutputs[0]!], rule.samples ? "train" : "none", train, true),
          test: program([errorOutputs[1]!], rule.samples ? "test" : "none", test, true),
        }
      : null,
  };
}

function shape(t: TensorInfo): { rows: number; cols: number } {
  return { rows: t.rows, cols: t.cols };
}

/** An update has its state's shape (the shape checker guarantees it; this asserts it). */
function broadcastTo(graph: Graph, n: number, state: TensorInfo): number {
  const t = graph.type(n);
  if (t.rows !== state.rows || t.cols !== state.cols) {
    throw new InvalidArgumentError(
      "compileRule",
      `update of ${state.name}`,
      `${state.rows} x ${state.cols}`,
      `${t.rows} x ${t.cols}`,
    );
  }
  return n;
}

/** The operands of a node. */
export function operands(n: IrOp): number[] {
  switch (n.op) {
    case "matmul":
    case "binary":
      return [n.a, n.b];
    case "transpose":
    case "unary":
    case "sampleSum":
    case "sum":
    case "diag":
      return [n.a];
    default:
      return [];
  }
}

/**
 * The program computing `outputs`: the nodes they need, in dependency order, renumbered; a node
 * in `hoisted` becomes a fixed leaf (its index in CompiledRule.fixed).
 */
export function extract(
  graph: Graph,
  outputs: number[],
  samples: SampleSet,
  sampleCount: number,
  hoisted: ReadonlyMap<number, number>,
): IrProgram {
  const nodes: IrNode[] = [];
  const index = new Map<number, number>();
  const visit = (i: number): number => {
    const known = index.get(i);
    if (known !== undefined) return known;
    const n = graph.nodes[i]!;
    let out: IrNode;
    const h = hoisted.get(i);
    if (h !== undefined) out = { op: "fixed", index: h, type: n.type };
    else {
      switch (n.op) {
        case "matmul":
        case "binary":
          out = { ...n, a: visit(n.a), b: visit(n.b) };
          break;
        case "transpose":
        case "unary":
        case "sampleSum":
        case "sum":
        case "diag":
          out = { ...n, a: visit(n.a) };
          break;
        default:
          out = n;
      }
    }
    nodes.push(out);
    index.set(i, nodes.length - 1);
    return nodes.length - 1;
  };
  const outs = outputs.map(visit);
  return { nodes, outputs: outs, samples, sampleCount };
}

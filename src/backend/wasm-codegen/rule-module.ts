/**
 * The WebAssembly module of a compiled network rule: everything one member of a NetworkBatch
 * runs, for the memory layout of memory-layout.ts. Exports:
 *
 *   steps(count) -> i32   `count` steps of the epoch whose permutation is in memory (minibatch k
 *                         is perm[kS .. kS + S - 1]): gather the minibatch, run the step
 *                         program's kernels, then the CompiledRule's failure rule (norms not
 *                         finite, or 0 for a renormalized state) and renormalization. Returns 1,
 *                         or 0 at the first failing step, whose states are left as computed.
 *   errorTrain() -> f64, errorTest() -> f64    the error programs (when the rule declares one)
 *   memory
 *
 * With `dtype: "float32"` every value in memory and every operation of the programs is float32
 * (element.ts); the norms of the failure rule and renormalization, and the returned errors, are
 * float64 computed from the float32 values (the scale is rounded to float32 to multiply).
 *
 * and imports the host's elementwise functions ("host" module, one per transcendental function
 * the programs use: (src, dst, count) -> (), dst[q] = f(src[q]) with f from src/ir/elementwise.ts).
 */
import type { CompiledRule } from "../../ir/program.ts";
import { InvalidArgumentError, requireInRange, requirePositiveInteger } from "../../util/errors.ts";
import { type Dtype, type Element, elementOf, scalarOp } from "./element.ts";
import { emitKernel } from "./emit-kernel.ts";
import { encodeModule } from "./encode-module.ts";
import type { BufferRef, HostUnary, View } from "./kernel.ts";
import { countedLoop } from "./loop-nest.ts";
import { placeBuffers, type RuleLayout, ruleLayout } from "./memory-layout.ts";
import { type FunctionBuilder, ModuleBuilder } from "./module-builder.ts";
import { type ProgramPlan, planProgram } from "./plan-program.ts";

export interface RuleModuleOptions {
  /** Vectors per block of a kernel (default 5); results do not depend on it. */
  readonly unroll?: number;
  /** The element type of memory and arithmetic (default float64). */
  readonly dtype?: Dtype;
  /**
   * Accumulators a kernel block may keep over several rows (emit-kernel.ts; 0: one row per
   * block; default by dtype, DEFAULT_ACCUMULATORS). Float64 results do not depend on it; float32
   * ones only through the order of the float64 sum of squares of the norms.
   */
  readonly accumulators?: number;
}

export interface RuleModule extends RulePlan {
  /** The module as built (print it with printWat). */
  readonly module: ModuleBuilder;
  readonly bytes: Uint8Array;
}

const DEFAULT_UNROLL = 5;
/**
 * Row blocking by dtype, as measured by bench/row-blocking.ts (seed 001's protocol, M = N = 110,
 * S = 10, one core; bench/results/row-blocking.json): in float32 (three f32x4 accumulators per
 * row in W1 x and in the W1 update) two rows per block take 10% less time (10 to 16% in earlier
 * trials), three rows 2% more; in float64 (five f64x2 accumulators per row in W1 x) two rows take
 * 4% more (-6% to +5% in trials: no gain beyond the noise) and three 16% more, V8 spilling
 * registers.
 */
const DEFAULT_ACCUMULATORS: Readonly<Record<Dtype, number>> = { float64: 0, float32: 6 };

/**
 * Where a rule's run lives and what its kernels are, for one element type: the layout, the
 * planned programs (plan-program.ts) and every buffer's byte address. The WebAssembly module
 * (ruleModule) and the C source of the native backend (src/backend/native/rule-source.ts) are
 * both generated from it.
 */
export interface RulePlan {
  readonly rule: CompiledRule;
  readonly element: Element;
  readonly layout: RuleLayout;
  /** Byte address of every buffer. */
  readonly address: ReadonlyMap<BufferRef, number>;
  /** 64 KiB pages the buffers take. */
  readonly pages: number;
  /** The host functions the kernels call, each once. */
  readonly host: readonly HostUnary[];
  readonly plans: {
    readonly step: ProgramPlan;
    readonly train: ProgramPlan | null;
    readonly test: ProgramPlan | null;
  };
}

/** The layout and kernels of `rule` in `element`, with the sample count of per-sample values padded to `width` lanes. */
export function planRule(rule: CompiledRule, element: Element, width: number = element.width): RulePlan {
  const layout = ruleLayout(rule, element);
  const leaves = (data: readonly BufferRef[]) => ({
    states: layout.states,
    fixed: layout.fixed,
    params: layout.params,
    data,
  });
  const step = planProgram(rule.step, leaves(layout.minibatch), {
    stateOutputs: true,
    prefix: "step ",
    width,
  });
  const train = rule.error
    ? planProgram(rule.error.train, leaves(layout.train), { stateOutputs: false, prefix: "train ", width })
    : null;
  const test = rule.error
    ? planProgram(rule.error.test, leaves(layout.test), { stateOutputs: false, prefix: "test ", width })
    : null;
  const fixedBuffers = [
    ...layout.states,
    layout.targets,
    ...layout.fixed,
    layout.params,
    ...layout.train,
    ...layout.test,
    ...layout.minibatch,
    layout.perm,
  ];
  const plans = [step, train, test].filter((p): p is ProgramPlan => p !== null);
  const { address, pages } = placeBuffers(
    fixedBuffers,
    plans.map((p) => p.scratch),
    element.bytes,
  );
  const host: HostUnary[] = [];
  for (const p of plans) {
    for (const k of p.kernels) if (k.kind === "host" && !host.includes(k.fn)) host.push(k.fn);
  }
  return { rule, element, layout, address, pages, host, plans: { step, train, test } };
}

/** Builds the module of `rule` (see the file comment for what it exports). */
export function ruleModule(rule: CompiledRule, options: RuleModuleOptions = {}): RuleModule {
  const unroll = requirePositiveInteger("ruleModule", "options.unroll", options.unroll ?? DEFAULT_UNROLL, 16);
  const element = elementOf(options.dtype ?? "float64");
  const plan = planRule(rule, element);
  const { layout, address, pages, host } = plan;
  const { step, train, test } = plan.plans;

  const m = new ModuleBuilder();
  m.memoryPages = pages;
  const hostIndex = new Map(
    host.map((fn) => [fn, m.importFunction("host", fn, { params: ["i32", "i32", "i32"], results: [] })]),
  );
  const at = (b: BufferRef) => {
    const a = address.get(b);
    if (a === undefined) throw new InvalidArgumentError("ruleModule", "buffer", "a placed buffer", b.name);
    return a;
  };
  const ctx = {
    module: m,
    address: at,
    host: (fn: HostUnary) => hostIndex.get(fn)!,
    unroll,
    accumulators: Math.floor(
      requireInRange(
        "ruleModule",
        "options.accumulators",
        options.accumulators ?? DEFAULT_ACCUMULATORS[element.dtype],
        0,
        64,
      ),
    ),
    element,
  };
  const kernelsOf = (plan: ProgramPlan, prefix: string) =>
    plan.kernels.map((k, i) => emitKernel(ctx, k, `${prefix}${i}`));

  const stepKernels = kernelsOf(step, "step_");
  const gather = rule.samples ? emitGather(m, rule, layout, at, element) : null;
  emitSteps(m, rule, layout, step, stepKernels, gather, at, element);
  if (train && test) {
    emitError(m, "errorTrain", train, kernelsOf(train, "train_"), at, element);
    emitError(m, "errorTest", test, kernelsOf(test, "test_"), at, element);
  }
  const bytes = encodeModule(m);
  return { ...plan, module: m, bytes };
}

/** gather(k): minibatch[d][q, s] = train[d][q, perm[kS + s]] for every data tensor d. */
function emitGather(
  m: ModuleBuilder,
  rule: CompiledRule,
  layout: RuleLayout,
  at: (b: BufferRef) => number,
  e: Element,
): FunctionBuilder {
  const fb = m.addFunction("gather", { params: ["i32"], results: [] });
  const shift = e.bytes === 8 ? 3 : 2;
  const S = rule.minibatch;
  const pp = fb.local("i32", "perm");
  const sample = fb.local("i32", "sample");
  const src = fb.local("i32", "src");
  const dst = fb.local("i32", "dst");
  fb.op("local.get", 0)
    .op("i32.const", S * 4)
    .op("i32.mul")
    .op("i32.const", at(layout.perm))
    .op("i32.add")
    .op("local.set", pp);
  const s = fb.local("i32", "s");
  fb.op("i32.const", 0).op("local.set", s);
  countedLoop(fb, "k_s", S, () => {
    fb.op("local.get", pp).op("i32.load", 0).op("i32.const", shift).op("i32.shl").op("local.set", sample);
    rule.data.forEach((d, k) => {
      fb.op("local.get", sample).op("i32.const", at(layout.train[k]!)).op("i32.add").op("local.set", src);
      fb.op("local.get", s)
        .op("i32.const", shift)
        .op("i32.shl")
        .op("i32.const", at(layout.minibatch[k]!))
        .op("i32.add")
        .op("local.set", dst);
      countedLoop(fb, "k_q", d.rows * d.cols, () => {
        fb.op("local.get", dst).op("local.get", src).op(scalarOp(e, "load"), 0).op(scalarOp(e, "store"), 0);
        fb.op("local.get", src)
          .op("i32.const", layout.lanes.train * e.bytes)
          .op("i32.add")
          .op("local.set", src);
        fb.op("local.get", dst)
          .op("i32.const", layout.lanes.minibatch * e.bytes)
          .op("i32.add")
          .op("local.set", dst);
      });
    });
    fb.op("local.get", pp).op("i32.const", 4).op("i32.add").op("local.set", pp);
    fb.op("local.get", s).op("i32.const", 1).op("i32.add").op("local.set", s);
  });
  return fb;
}

/**
 * to[q] = from[q] (c = null) or c * from[q], for q < entries, a vector of entries at a time; c is
 * a local of the element type.
 */
function emitMap(
  fb: FunctionBuilder,
  e: Element,
  from: number,
  to: number,
  entries: number,
  c: number | null,
): void {
  const pairs = Math.floor(entries / e.width);
  const p = fb.local("i32", "from");
  const q = fb.local("i32", "to");
  fb.op("i32.const", from).op("local.set", p).op("i32.const", to).op("local.set", q);
  const scaled = c !== null ? fb.local("v128", "c2") : -1;
  if (c !== null) fb.op("local.get", c).op(`${e.vector}.splat`).op("local.set", scaled);
  if (pairs > 0) {
    countedLoop(fb, "k_pair", pairs, () => {
      fb.op("local.get", q);
      if (c !== null) fb.op("local.get", scaled);
      fb.op("local.get", p).op("v128.load", 0);
      if (c !== null) fb.op(`${e.vector}.mul`);
      fb.op("v128.store", 0);
      fb.op("local.get", p).op("i32.const", 16).op("i32.add").op("local.set", p);
      fb.op("local.get", q).op("i32.const", 16).op("i32.add").op("local.set", q);
    });
  }
  for (let r = 0; r < entries % e.width; r++) {
    fb.op("local.get", q);
    if (c !== null) fb.op("local.get", c);
    fb.op("local.get", p).op(scalarOp(e, "load"), e.bytes * r);
    if (c !== null) fb.op(scalarOp(e, "mul"));
    fb.op(scalarOp(e, "store"), e.bytes * r);
  }
}

function viewAddress(v: View, at: (b: BufferRef) => number, e: Element): number {
  if (v.buffer === null)
    throw new InvalidArgumentError("ruleModule", "output view", "a view of memory", "a constant");
  return at(v.buffer) + e.bytes * v.offset;
}

function emitSteps(
  m: ModuleBuilder,
  rule: CompiledRule,
  layout: RuleLayout,
  plan: ProgramPlan,
  kernels: readonly FunctionBuilder[],
  gather: FunctionBuilder | null,
  at: (b: BufferRef) => number,
  e: Element,
): void {
  const fb = m.addFunction("steps", { params: ["i32"], results: ["i32"] }, true);
  const k = fb.local("i32", "step");
  const sums = plan.kernels.map((kernel) =>
    kernel.kind === "compute" && kernel.norm ? fb.local("f64", "sumsq") : -1,
  );
  const norms = rule.states.map((s) => fb.local("f64", `norm_${s.name}`));
  const scale = fb.local(e.scalar, "scale");
  fb.op("i32.const", 0).op("local.set", k).op("loop");
  if (gather) fb.op("local.get", k).op("call", gather.index);
  kernels.forEach((f, i) => {
    fb.op("call", f.index);
    if (sums[i]! >= 0) fb.op("local.set", sums[i]!);
  });
  // The failure rule: a norm not finite (NaN or inf), or 0 for a renormalized state.
  rule.states.forEach((s, i) => {
    fb.op("local.get", sums[plan.outputs[i]!.normKernel]!).op("f64.sqrt").op("local.tee", norms[i]!);
    fb.op("f64.const", Number.POSITIVE_INFINITY).op("f64.lt").op("i32.eqz");
    if (s.renormalize) fb.op("local.get", norms[i]!).op("f64.const", 0).op("f64.eq").op("i32.or");
    if (i > 0) fb.op("i32.or");
  });
  const entries = (i: number) => rule.states[i]!.rows * rule.states[i]!.cols;
  const stateAddress = (i: number) => at(layout.states[i]!);
  fb.op("if");
  rule.states.forEach((_, i) => {
    const o = plan.outputs[i]!;
    if (!o.inPlace) emitMap(fb, e, viewAddress(o.view, at, e), stateAddress(i), entries(i), null);
  });
  fb.op("i32.const", 0).op("return").op("end");
  rule.states.forEach((s, i) => {
    const o = plan.outputs[i]!;
    if (s.renormalize) {
      fb.op("i32.const", 0).op(scalarOp(e, "load"), at(layout.targets) + e.bytes * i);
      if (e.scalar === "f32") fb.op("f64.promote_f32");
      fb.op("local.get", norms[i]!).op("f64.div");
      if (e.scalar === "f32") fb.op("f32.demote_f64");
      fb.op("local.set", scale);
      const from = o.inPlace ? stateAddress(i) : viewAddress(o.view, at, e);
      emitMap(fb, e, from, stateAddress(i), entries(i), scale);
    } else if (!o.inPlace) emitMap(fb, e, viewAddress(o.view, at, e), stateAddress(i), entries(i), null);
  });
  fb.op("local.get", k)
    .op("i32.const", 1)
    .op("i32.add")
    .op("local.tee", k)
    .op("local.get", 0)
    .op("i32.lt_u")
    .op("br_if", 0)
    .op("end");
  fb.op("i32.const", 1);
}

function emitError(
  m: ModuleBuilder,
  name: string,
  plan: ProgramPlan,
  kernels: readonly FunctionBuilder[],
  at: (b: BufferRef) => number,
  e: Element,
): void {
  const fb = m.addFunction(name, { params: [], results: ["f64"] }, true);
  for (const f of kernels) fb.op("call", f.index);
  const v = plan.outputs[0]!.view;
  if (v.buffer === null) fb.op("f64.const", v.constant!);
  else {
    fb.op("i32.const", 0).op(scalarOp(e, "load"), at(v.buffer) + e.bytes * v.offset);
    if (e.scalar === "f32") fb.op("f64.promote_f32");
  }
}

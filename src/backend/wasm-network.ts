/**
 * A batch of runs of a compiled network rule in WebAssembly SIMD: the module generated from the
 * rule's programs (src/backend/wasm-codegen/rule-module.ts), built and compiled once per rule,
 * options and process, instantiated once per member with that member's own memory. The kernels
 * evaluate every float64 operation of the IR in its defined order, so the batch equals the CPU
 * interpreter's (src/backend/cpu-network.ts) bit for bit, and a batch of B equals B single runs.
 *
 * With `dtype: "float32"` the same operations run in float32 over float32 memory: states, data,
 * parameters and fixed tensors are rounded to float32 on the way in and widened exactly on the
 * way out; the results differ from the interpreter's by rounding only (the tolerance is argued in
 * test/backend/float32-tolerance.ts).
 *
 * The epoch's permutation is computed here with counterPermutation, as in the interpreter, and
 * written into the member's memory before the module runs the epoch's steps. The host functions
 * the module imports apply the very functions of src/ir/elementwise.ts over arrays.
 */
import type { RunData } from "../ir/draw.ts";
import { UNARY } from "../ir/elementwise.ts";
import type { CompiledRule } from "../ir/program.ts";
import { counterPermutation, deriveKey } from "../util/counter-rng.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import type { BatchErrors, NetworkBatch, NetworkInit } from "./backend.ts";
import { type CheckedNetworkInit, checkNetworkInit } from "./check-network-init.ts";
import { gatherStates, scatterStates } from "./member-states.ts";
import { type WasmModule, wasm } from "./wasm-api.ts";
import type { HostUnary } from "./wasm-codegen/kernel.ts";
import {
  type RuleModule,
  type RuleModuleOptions,
  type RulePlan,
  ruleModule,
} from "./wasm-codegen/rule-module.ts";

interface Compiled {
  readonly generated: RuleModule;
  readonly module: WasmModule;
}

/**
 * A cache of what is built from a compiled rule: one value per rule object and key, made by
 * `make` the first time (the rule is the WeakMap's key, so the values go with it).
 */
export class PerRule<T> {
  private readonly byRule = new WeakMap<CompiledRule, Map<string, T>>();

  get(rule: CompiledRule, key: string, make: () => T): T {
    let byKey = this.byRule.get(rule);
    if (!byKey) {
      byKey = new Map();
      this.byRule.set(rule, byKey);
    }
    let value = byKey.get(key);
    if (value === undefined) {
      value = make();
      byKey.set(key, value);
    }
    return value;
  }
}

const compiledModules = new PerRule<Compiled>();

/** The rule's module, generated and compiled once per rule object, unroll and dtype. */
export function compiledRuleModule(rule: CompiledRule, options: RuleModuleOptions = {}): Compiled {
  const key = `${options.unroll ?? 0} ${options.dtype ?? "float64"} ${options.accumulators ?? -1}`;
  return compiledModules.get(rule, key, () => {
    const generated = ruleModule(rule, options);
    return { generated, module: new wasm.Module(generated.bytes) };
  });
}

/** The typed arrays of one element type. */
type Floats = Float64Array | Float32Array;
type FloatsOf = new (buffer: ArrayBufferLike, byteOffset?: number, length?: number) => Floats;

/** What one member's compiled code exports (rule-module.ts). */
export interface MemberExports {
  steps(count: number): number;
  errorTrain?(): number;
  errorTest?(): number;
}

/** One member's code over its memory: `memory` holds the run at the plan's addresses. */
export interface MemberCode {
  readonly memory: ArrayBuffer;
  readonly exports: MemberExports;
}

/**
 * Makes one member's code; `host(fn)` is the host function `fn` over that member's memory
 * ((src, dst, count) in bytes, as the generated code calls it).
 */
export type Instantiate = (host: (fn: HostUnary) => HostFunction) => MemberCode;

type HostFunction = (src: number, dst: number, count: number) => void;

interface Member {
  readonly run: RunData;
  readonly exports: MemberExports;
  /** Views of the member's memory. */
  readonly states: Floats[];
  readonly perm: Int32Array;
}

/** Host function `fn` over the memory `memory()`: the elementwise function of src/ir/elementwise.ts over an array. */
function hostFunction(fn: HostUnary, memory: () => Floats): HostFunction {
  const f = UNARY[fn];
  return (src, dst, count) => {
    const m = memory();
    const a = src / m.BYTES_PER_ELEMENT;
    const b = dst / m.BYTES_PER_ELEMENT;
    for (let q = 0; q < count; q++) m[b + q] = f(m[a + q]!);
  };
}

/** Copies [count, entries] sample-major data into lanes layout [entries, lanes]. */
function toLanes(src: Float64Array, count: number, entries: number, lanes: number, dst: Floats): void {
  for (let s = 0; s < count; s++)
    for (let q = 0; q < entries; q++) dst[q * lanes + s] = src[s * entries + q]!;
}

function createMember(plan: RulePlan, instantiate: Instantiate, p: CheckedNetworkInit, b: number): Member {
  const { layout, address } = plan;
  const rule = p.rule;
  const Floats: FloatsOf = plan.element.dtype === "float32" ? Float32Array : Float64Array;
  let all: Floats | undefined;
  const code = instantiate((fn) => hostFunction(fn, () => all!));
  const memory = code.memory;
  all = new Floats(memory);
  const view = (buffer: { entries: number }, entries = buffer.entries) =>
    new Floats(memory, address.get(buffer as never)!, entries);
  const run = p.runs[b]!;
  const states = layout.states.map((s, k) => {
    const v = view(s);
    v.set(run.states[k]!);
    return v;
  });
  view(layout.targets).set(p.norms.map((n) => n[b]!));
  layout.fixed.forEach((f, k) => {
    view(f).set(run.fixed[k]!);
  });
  view(layout.params, rule.params.length).set(run.params);
  if (rule.samples) {
    rule.data.forEach((d, k) => {
      const entries = d.rows * d.cols;
      toLanes(run.train[k]!, rule.samples!.train, entries, layout.lanes.train, view(layout.train[k]!));
      toLanes(run.test[k]!, rule.samples!.test, entries, layout.lanes.test, view(layout.test[k]!));
    });
  }
  return {
    run,
    exports: code.exports,
    states,
    perm: new Int32Array(memory, address.get(layout.perm)!, rule.samples?.train ?? 0),
  };
}

/**
 * A batch of runs of a compiled rule on generated code (WebAssembly here, C in
 * src/backend/native/native-network.ts): each member's code and memory from `instantiate`, laid
 * out by `plan`; the permutations, failures and states handled here alike for both.
 */
export class GeneratedNetworkBatch implements NetworkBatch {
  readonly size: number;
  readonly rule: CompiledRule;
  private current = 0;
  private readonly p: CheckedNetworkInit;
  private readonly members: Member[];
  private readonly failedAt: Int32Array;
  private disposed = false;

  /** `fn`: the name errors are reported under. */
  constructor(
    private readonly fn: string,
    init: NetworkInit,
    plan: RulePlan,
    instantiate: Instantiate,
  ) {
    this.p = checkNetworkInit(fn, init);
    this.rule = init.rule;
    this.size = init.runs.length;
    this.members = init.runs.map((_, b) => createMember(plan, instantiate, this.p, b));
    this.failedAt = new Int32Array(this.size).fill(-1);
  }

  get epoch(): number {
    return this.current;
  }

  private live(): void {
    if (this.disposed) throw new Error(`${this.fn}: used after dispose()`);
  }

  advance(epochs: number): void {
    this.live();
    if (!Number.isInteger(epochs) || epochs < 0) {
      throw new InvalidArgumentError(`${this.fn}.advance`, "epochs", "an integer >= 0", epochs);
    }
    const { rule, stepsPerEpoch } = this.p;
    this.members.forEach((m, b) => {
      for (let t = this.current; t < this.current + epochs && this.failedAt[b] === -1; t++) {
        if (rule.samples) counterPermutation(deriveKey(m.run.shuffleSeed, t), rule.samples.train, m.perm);
        if (m.exports.steps(stepsPerEpoch) === 0) this.failedAt[b] = t;
      }
    });
    this.current += epochs;
  }

  async errors(): Promise<BatchErrors> {
    this.live();
    const train = new Float64Array(this.size).fill(Number.NaN);
    const test = new Float64Array(this.size).fill(Number.NaN);
    if (this.rule.error) {
      this.members.forEach((m, b) => {
        if (this.failedAt[b] !== -1) return;
        train[b] = m.exports.errorTrain!();
        test[b] = m.exports.errorTest!();
      });
    }
    return { train, test };
  }

  async readStates(): Promise<Float64Array[]> {
    this.live();
    return gatherStates(this.rule, this.members);
  }

  writeStates(states: readonly Float64Array[]): void {
    this.live();
    scatterStates(`${this.fn}.writeStates`, this.rule, states, this.members);
  }

  async failures(): Promise<Int32Array> {
    this.live();
    return Int32Array.from(this.failedAt);
  }

  dispose(): void {
    this.disposed = true;
    this.members.length = 0;
  }
}

/** A batch of runs of a compiled rule on its generated WebAssembly module (see the file comment). */
export class WasmNetworkBatch extends GeneratedNetworkBatch {
  constructor(init: NetworkInit, options: RuleModuleOptions = {}) {
    const compiled = compiledRuleModule(init.rule, options);
    const { generated } = compiled;
    super("CpuWasmBackend.network", init, generated, (host) => {
      const imports = Object.fromEntries(generated.host.map((fn) => [fn, host(fn)]));
      const instance = new wasm.Instance(compiled.module, { host: imports });
      return {
        memory: (instance.exports.memory as { buffer: ArrayBuffer }).buffer,
        exports: instance.exports as unknown as MemberExports,
      };
    });
  }
}

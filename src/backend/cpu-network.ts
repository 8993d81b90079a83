/**
 * A batch of runs of a compiled network rule on the CPU in float64: the reference
 * implementation of NetworkBatch (src/backend/backend.ts). Every member runs the programs of
 * the rule through the IR interpreter (src/ir/interpret.ts) with the same code and order of
 * operations, so a batch of B equals B single runs bit for bit.
 */
import type { RunData } from "../ir/draw.ts";
import { type PreparedProgram, prepareProgram } from "../ir/interpret.ts";
import type { CompiledRule } from "../ir/program.ts";
import { counterPermutation, deriveKey } from "../util/counter-rng.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import type { BatchErrors, NetworkBatch, NetworkInit } from "./backend.ts";
import { type CheckedNetworkInit, checkNetworkInit } from "./check-network-init.ts";
import { gatherStates, scatterStates } from "./member-states.ts";

/** A member's own copy of its run: states are updated in place. */
interface Member {
  readonly run: RunData;
  readonly states: Float64Array[];
}

/**
 * Applies one step's new states to a member: norms, the failure rule, renormalization
 * (CompiledRule). Returns false when the member fails; its states are then the unscaled values.
 * A new value that is an old state itself (the interpreter returns a state leaf as is, as in
 * `A' = B`, `B' = A`) is copied before any state is written.
 */
export function acceptStep(
  rule: CompiledRule,
  computed: readonly Float64Array[],
  states: Float64Array[],
  targets: readonly number[],
): boolean {
  const next = computed.map((v) => (states.includes(v) ? Float64Array.from(v) : v));
  let ok = true;
  const scale = rule.states.map((s, k) => {
    const v = next[k]!;
    let sum = 0;
    for (let q = 0; q < v.length; q++) sum += v[q]! * v[q]!;
    const n = Math.sqrt(sum);
    if (!Number.isFinite(n) || (s.renormalize && n === 0)) ok = false;
    return s.renormalize ? targets[k]! / n : 1;
  });
  rule.states.forEach((s, k) => {
    const v = next[k]!;
    const out = states[k]!;
    if (!ok || !s.renormalize) out.set(v.subarray(0, out.length));
    else {
      const c = scale[k]!;
      for (let q = 0; q < out.length; q++) out[q] = c * v[q]!;
    }
  });
  return ok;
}

/** Copies the samples perm[start ..] of each data tensor into contiguous minibatch arrays. */
export function gatherMinibatch(
  rule: CompiledRule,
  train: readonly Float64Array[],
  perm: Int32Array,
  start: number,
  out: readonly Float64Array[],
): void {
  rule.data.forEach((d, k) => {
    const n = d.rows * d.cols;
    const src = train[k]!;
    const dst = out[k]!;
    for (let s = 0; s < rule.minibatch; s++) {
      const from = perm[start + s]! * n;
      for (let q = 0; q < n; q++) dst[s * n + q] = src[from + q]!;
    }
  });
}

export class CpuNetworkBatch implements NetworkBatch {
  readonly size: number;
  readonly rule: CompiledRule;
  private current = 0;
  private readonly p: CheckedNetworkInit;
  private readonly members: Member[];
  private readonly failedAt: Int32Array;
  private readonly step: PreparedProgram;
  private readonly errorPrograms: { train: PreparedProgram; test: PreparedProgram } | null;
  private readonly minibatch: Float64Array[];
  private readonly perm: Int32Array;
  private disposed = false;

  constructor(init: NetworkInit) {
    this.p = checkNetworkInit("CpuBackend.network", init);
    this.rule = init.rule;
    this.size = init.runs.length;
    this.members = init.runs.map((run) => ({ run, states: run.states.map((s) => Float64Array.from(s)) }));
    this.failedAt = new Int32Array(this.size).fill(-1);
    this.step = prepareProgram(this.rule.step);
    this.errorPrograms = this.rule.error
      ? { train: prepareProgram(this.rule.error.train), test: prepareProgram(this.rule.error.test) }
      : null;
    this.minibatch = this.rule.data.map((d) => new Float64Array(this.rule.minibatch * d.rows * d.cols));
    this.perm = new Int32Array(this.rule.samples?.train ?? 0);
  }

  get epoch(): number {
    return this.current;
  }

  private live(): void {
    if (this.disposed) throw new Error("CpuNetworkBatch: used after dispose()");
  }

  advance(epochs: number): void {
    this.live();
    if (!Number.isInteger(epochs) || epochs < 0) {
      throw new InvalidArgumentError("CpuNetworkBatch.advance", "epochs", "an integer >= 0", epochs);
    }
    const { rule, stepsPerEpoch, norms } = this.p;
    this.members.forEach((m, b) => {
      const targets = norms.map((n) => n[b]!);
      for (let t = this.current; t < this.current + epochs && this.failedAt[b] === -1; t++) {
        const perm = rule.samples
          ? counterPermutation(deriveKey(m.run.shuffleSeed, t), rule.samples.train, this.perm)
          : this.perm;
        for (let k = 0; k < stepsPerEpoch; k++) {
          if (rule.samples) gatherMinibatch(rule, m.run.train, perm, k * rule.minibatch, this.minibatch);
          const next = this.step.run({
            states: m.states,
            fixed: m.run.fixed,
            params: m.run.params,
            data: this.minibatch,
          });
          if (!acceptStep(rule, next, m.states, targets)) {
            this.failedAt[b] = t;
            break;
          }
        }
      }
    });
    this.current += epochs;
  }

  async errors(): Promise<BatchErrors> {
    this.live();
    const train = new Float64Array(this.size).fill(Number.NaN);
    const test = new Float64Array(this.size).fill(Number.NaN);
    const programs = this.errorPrograms;
    if (programs) {
      this.members.forEach((m, b) => {
        if (this.failedAt[b] !== -1) return;
        const inputs = { states: m.states, fixed: m.run.fixed, params: m.run.params };
        train[b] = programs.train.run({ ...inputs, data: m.run.train })[0]![0]!;
        test[b] = programs.test.run({ ...inputs, data: m.run.test })[0]![0]!;
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
    scatterStates("CpuNetworkBatch.writeStates", this.rule, states, this.members);
  }

  async failures(): Promise<Int32Array> {
    this.live();
    return Int32Array.from(this.failedAt);
  }

  dispose(): void {
    this.disposed = true;
  }
}

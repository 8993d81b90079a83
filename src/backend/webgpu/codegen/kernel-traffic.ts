/**
 * Analytic memory traffic of a generated kernel, in float32 words per evaluation of a program
 * (per step for the step kernel), split between device memory (storage buffers) and workgroup
 * memory. A model, not a measurement, in two readings that bracket the truth:
 *
 * - issued: every load and store as the code executes it (a dot product reads its operands once
 *   per term, a broadcast operand once per entry that uses it): what a cacheless device moves;
 * - passes: every array counted once per phase that reads it and once per phase that writes
 *   it, as if each phase's repeated reads of one array hit in cache: the convention of the
 *   fused kernels' model (../traffic.ts), so the two can be compared.
 *
 * The step kernel adds its commit (each new state read for its norm; rescaled or copied into the
 * states buffer) and its share of the per-epoch permutation (P writes, then 2 reads and 2
 * writes per swap: about 5 P words per epoch).
 */
import { operands } from "../../../ir/lower.ts";
import type { CompiledRule, IrNode, IrProgram } from "../../../ir/program.ts";
import type { FusionPlan } from "./fusion-plan.ts";
import type { Placement } from "./memory-plan.ts";

export interface Traffic {
  readonly deviceWords: number;
  readonly workgroupWords: number;
}

export interface KernelTraffic {
  readonly issued: Traffic;
  readonly passes: Traffic;
}

type Arena = "device" | "workgroup";

const add = (a: Traffic, b: Traffic, scale = 1): Traffic => ({
  deviceWords: a.deviceWords + scale * b.deviceWords,
  workgroupWords: a.workgroupWords + scale * b.workgroupWords,
});
const ZERO: Traffic = { deviceWords: 0, workgroupWords: 0 };
const words = (arena: Arena, n: number): Traffic =>
  arena === "device" ? { deviceWords: n, workgroupWords: 0 } : { deviceWords: 0, workgroupWords: n };

/** Entries of a node's value over `count` samples. */
const entries = (n: IrNode, count: number) => (n.type.perSample ? count : 1) * n.type.rows * n.type.cols;

/**
 * Traffic of one evaluation of `program` as planned: `placements` of its stored nodes (undefined
 * for an output written in place, which lives in device memory), data gathered through a
 * permutation when `gathered`.
 */
export function programTraffic(
  program: IrProgram,
  plan: FusionPlan,
  placements: readonly (Placement | undefined)[],
  gathered: boolean,
): KernelTraffic {
  const nodes = program.nodes;
  const count = program.sampleCount;
  const arenaOf = (k: number): Arena => (placements[k]?.arena === "workgroup" ? "workgroup" : "device");

  /** Loads issued to evaluate node k at one entry, where it is used. */
  const loads = (k: number): Traffic => {
    if (plan.materialized[k]) return words(arenaOf(k), 1);
    return definitionLoads(k);
  };
  const definitionLoads = (k: number): Traffic => {
    const n = nodes[k]!;
    switch (n.op) {
      case "state":
      case "fixed":
      case "param":
        return words("device", 1);
      case "data":
        return words("device", gathered ? 2 : 1); // the permutation entry, then the sample's word
      case "constant":
        return ZERO;
      case "matmul":
        return add(ZERO, add(loads(n.a), loads(n.b)), nodes[n.a]!.type.cols);
      case "sampleSum":
        return add(ZERO, loads(n.a), count);
      case "sum":
        return add(ZERO, loads(n.a), nodes[n.a]!.type.rows * nodes[n.a]!.type.cols);
      case "diag":
        return add(ZERO, loads(n.a), 1 / n.type.rows); // only the diagonal reads its operand
      default:
        return operands(n).reduce((t, a) => add(t, loads(a)), ZERO);
    }
  };

  /** The arrays a stored node's loop reads (name -> arena and words), each once. */
  const arraysRead = (k: number): Map<string, [Arena, number]> => {
    const out = new Map<string, [Arena, number]>();
    const visit = (j: number, root: boolean) => {
      const n = nodes[j]!;
      if (!root && plan.materialized[j]) {
        out.set(`%${j}`, [arenaOf(j), entries(n, count)]);
        return;
      }
      if (n.op === "state" || n.op === "fixed")
        out.set(`${n.op}${n.index}`, ["device", n.type.rows * n.type.cols]);
      else if (n.op === "param") out.set(`param${n.index}`, ["device", 1]);
      else if (n.op === "data") {
        out.set(`data${n.index}`, ["device", entries(n, count)]);
        if (gathered) out.set("perm", ["device", count]);
      }
      for (const a of operands(n)) visit(a, false);
    };
    visit(k, true);
    return out;
  };

  let issued = ZERO;
  let passes = ZERO;
  for (const phase of plan.phases) {
    const read = new Map<string, [Arena, number]>();
    for (const k of phase) {
      const e = entries(nodes[k]!, count);
      issued = add(issued, add(definitionLoads(k), words(arenaOf(k), 1)), e);
      passes = add(passes, words(arenaOf(k), e));
      for (const [name, v] of arraysRead(k)) read.set(name, v);
    }
    for (const [arena, n] of read.values()) passes = add(passes, words(arena, n));
  }
  return { issued, passes };
}

/**
 * The step kernel's traffic per step: its program's, the commit's (the norm reads each new state
 * once; a renormalized state written in place is read and written again; a stored one is read
 * and written to the states buffer) and the permutation's share.
 */
export function stepTraffic(
  rule: CompiledRule,
  program: KernelTraffic,
  newStateArena: readonly Arena[],
  inPlace: readonly boolean[],
): KernelTraffic {
  let commit = ZERO;
  rule.states.forEach((s, k) => {
    const n = s.rows * s.cols;
    const arena = newStateArena[k]!;
    commit = add(commit, words(arena, n)); // the norm
    if (!inPlace[k]) commit = add(add(commit, words(arena, n)), words("device", n));
    else if (s.renormalize) commit = add(commit, words("device", 2 * n));
  });
  const P = rule.samples?.train ?? 0;
  const stepsPerEpoch = rule.samples ? P / rule.minibatch : 1;
  const usesData = rule.step.nodes.some((n) => n.op === "data");
  const shuffle = words("device", usesData ? (5 * P) / stepsPerEpoch : 0);
  const extra = add(commit, shuffle);
  return { issued: add(program.issued, extra), passes: add(program.passes, extra) };
}

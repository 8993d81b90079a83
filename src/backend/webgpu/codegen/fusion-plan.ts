/**
 * Which nodes of an IR program a generated kernel stores, and in which phase it computes them.
 *
 * A kernel runs a program as phases separated by barriers; each phase computes some nodes
 * entry by entry, in parallel over the workgroup, and stores them ("materialized"). Every other
 * node is evaluated where it is used ("inline"): an elementwise chain is fused into the loop
 * that consumes it, and a reduction (matmul, sampleSum, sum) used once by an elementwise
 * consumer runs its sum inside that consumer's loop. Inlining never changes a value: each entry
 * is the same operations on the same operands in the same order as the reference interpreter
 * (src/ir/interpret.ts). It is allowed only where it computes no entry twice:
 *
 * - a node is inline when it has exactly one use, is not an output, and its consumer evaluates
 *   each of its entries once: a unary function, a binary operation of the same shape (not a
 *   broadcast), transpose, diag, sampleSum, sum; and the consumer is itself materialized or
 *   evaluated once per entry. A matmul operand is read `cols` times per entry, so it is stored;
 * - transpose and diag only move entries, so they are always inline (a transposed read); a
 *   transpose read more than once makes its operand stored;
 * - leaves are read where they are used, except data of a minibatch step ("gathered"): the
 *   rows of the minibatch are copied once per step in phase 0, in sample order.
 *
 * Phases: a stored node's phase is one more than the latest phase of the stored nodes it reads,
 * so independent nodes share a phase and its barrier.
 *
 * A new state (a step program's output) is written over the old state in place when no phase
 * from its own on reads the old state, except its own loop at the very entry it writes
 * (through elementwise operations of the same shape and sampleSum); otherwise it is stored
 * and copied in the commit phase.
 */
import { operands } from "../../../ir/lower.ts";
import type { IrNode, IrProgram } from "../../../ir/program.ts";

export interface FusionOptions {
  /** Copy the data of each sample once per evaluation (phase 0) instead of reading in place. */
  readonly gatherData: boolean;
  /** The outputs are the new states, in the order of the states (a step program). */
  readonly outputsAreStates: boolean;
}

export interface FusionPlan {
  /** Per node: stored by a phase (true) or evaluated where used (false). */
  readonly materialized: readonly boolean[];
  /** The stored nodes of each phase, in node order. */
  readonly phases: readonly (readonly number[])[];
  /** Per node: its phase if stored, else -1. */
  readonly phaseOf: readonly number[];
  /** Per node: the last phase that reads it (stored nodes; an output is read by the commit: Infinity). */
  readonly lastRead: readonly number[];
  /** Per output: whether its state is overwritten in place (step programs), else false. */
  readonly inPlace: readonly boolean[];
}

const LEAVES = new Set(["state", "fixed", "param", "data", "constant"]);

/** Whether `consumer` evaluates each entry of its operand `operand` at most once per entry of its own. */
function oneToOne(consumer: IrNode, operand: IrNode): boolean {
  switch (consumer.op) {
    case "unary":
    case "transpose":
    case "diag":
    case "sampleSum":
    case "sum":
      return true;
    case "binary":
      return (
        consumer.a !== consumer.b &&
        operand.type.rows === consumer.type.rows &&
        operand.type.cols === consumer.type.cols &&
        operand.type.perSample === consumer.type.perSample
      );
    default:
      return false;
  }
}

/** Whether a consumer reads its operand at the same (row, column) as the entry it computes. */
function sameEntry(consumer: IrNode, operand: IrNode): boolean {
  switch (consumer.op) {
    case "unary":
    case "sampleSum":
      return true;
    case "binary":
      return operand.type.rows === consumer.type.rows && operand.type.cols === consumer.type.cols;
    default:
      return false;
  }
}

export function planFusion(program: IrProgram, options: FusionOptions): FusionPlan {
  const nodes = program.nodes;
  const users: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    for (const a of operands(n)) users[a]!.push(i);
  });
  const outputCount = nodes.map(() => 0);
  for (const o of program.outputs) outputCount[o]!++;

  // Decide consumers before operands (a consumer has the larger index).
  const materialized = nodes.map(() => false);
  const once = nodes.map(() => false); // evaluated at most once per entry (when inline)
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (n.op === "data" && options.gatherData) {
      materialized[i] = true;
      continue;
    }
    if (outputCount[i]! > 0) {
      materialized[i] = true;
      continue;
    }
    if (LEAVES.has(n.op)) continue;
    const u = users[i]!;
    const single = u.length === 1;
    const c = single ? u[0]! : -1;
    const consumerOnce = single && (materialized[c]! || once[c]!) && oneToOne(nodes[c]!, n);
    if (n.op === "transpose" || n.op === "diag") {
      once[i] = consumerOnce;
      continue;
    }
    if (consumerOnce) once[i] = true;
    else materialized[i] = true;
  }

  // What each node's inline definition reads: the stored nodes and the leaves under it.
  const storedReads = (m: number): number[] => {
    const out = new Set<number>();
    const visit = (i: number) => {
      for (const a of operands(nodes[i]!)) {
        if (materialized[a]) out.add(a);
        else visit(a);
      }
    };
    visit(m);
    return [...out];
  };
  const phaseOf = nodes.map(() => -1);
  const lastRead = nodes.map(() => -1);
  const reads: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    if (!materialized[i]) return;
    if (n.op === "data" && options.gatherData) {
      phaseOf[i] = 0;
      return;
    }
    reads[i] = storedReads(i);
    const floor = options.gatherData ? 1 : 0;
    phaseOf[i] = Math.max(floor, ...reads[i]!.map((r) => phaseOf[r]! + 1));
  });
  nodes.forEach((_, i) => {
    for (const r of reads[i]!) lastRead[r] = Math.max(lastRead[r]!, phaseOf[i]!);
  });
  for (const o of program.outputs) lastRead[o] = Number.POSITIVE_INFINITY;
  const phaseCount = Math.max(0, ...phaseOf) + 1;
  const phases: number[][] = Array.from({ length: phaseCount }, () => []);
  nodes.forEach((_, i) => {
    if (materialized[i]) phases[phaseOf[i]!]!.push(i);
  });

  const inPlace = program.outputs.map((o, k) => {
    if (!options.outputsAreStates || outputCount[o] !== 1 || users[o]!.length > 0 || nodes[o]!.op === "state")
      return false;
    // The phases that read state k, and whether o's own loop reads it only at the entry it writes.
    let ownLoopSafe = true;
    let otherReader = false;
    nodes.forEach((m, i) => {
      if (!materialized[i] || m.op === "data") return;
      const visit = (j: number, identity: boolean) => {
        const n = nodes[j]!;
        for (const a of operands(n)) {
          const an = nodes[a]!;
          const id = identity && sameEntry(n, an);
          if (an.op === "state" && an.index === k) {
            if (i === o) ownLoopSafe &&= id;
            else if (phaseOf[i]! >= phaseOf[o]!) otherReader = true;
          } else if (!materialized[a]) visit(a, id);
        }
      };
      visit(i, true);
    });
    return ownLoopSafe && !otherReader;
  });

  return { materialized, phases, phaseOf, lastRead, inPlace };
}

/**
 * How much memory a batch of runs needs before any of it is drawn, and a refusal that says so
 * when the machine does not have it (instead of dying inside an allocation).
 *
 * Each run holds, in float64, its states, its fixed tensors (teachers, random tensors, hoisted
 * values) and its data (inputs and targets of every training and test sample); a Lyapunov twin
 * is a run of the batch like the others. Intermediate values of the step program come on top,
 * so the estimate is a lower bound of what the batch needs.
 */
import { freemem } from "node:os";
import type { CompiledRule } from "../ir/program.ts";
import { formatBytes } from "../util/bytes.ts";
import { BoundExceededError } from "../util/errors.ts";

/** Bytes of the float64 tensors one run of `compiled` holds (states, fixed tensors, data). */
export function bytesPerRun(compiled: CompiledRule): number {
  const entries = (ts: readonly { rows: number; cols: number }[]) =>
    ts.reduce((s, t) => s + t.rows * t.cols, 0);
  const samples = compiled.samples ? compiled.samples.train + compiled.samples.test : 0;
  return 8 * (entries(compiled.states) + entries(compiled.fixed) + entries(compiled.data) * samples);
}

/**
 * Throws a {@link BoundExceededError} naming both amounts when `needed` bytes exceed the memory
 * available now (`available`, default: what the operating system reports as available).
 */
export function requireMemory(fn: string, what: string, needed: number, available = freemem()): void {
  if (needed > available) {
    throw new BoundExceededError(
      fn,
      "memory (bytes available)",
      available,
      `${formatBytes(needed)} needed for ${what}, ${formatBytes(available)} available`,
      "use smaller sizes or fewer seeds",
    );
  }
}

/**
 * Where everything of one run lives in its WebAssembly memory: the same addresses in every
 * member's memory, so one module serves every member of a batch. Buffers are 16-byte aligned;
 * entries are float64 or float32 (element.ts).
 *
 *   states, target norms, fixed tensors, parameters     row-major, as in RunData
 *   training and test data                              lanes layout [rows, cols, lanes]
 *   the minibatch (gathered each step), the permutation of the epoch (i32)
 *   scratch                                             shared by the programs, which never run at once
 */
import type { CompiledRule } from "../../ir/program.ts";
import { BoundExceededError } from "../../util/errors.ts";
import { type Element, FLOAT64 } from "./element.ts";
import type { BufferRef } from "./kernel.ts";

/** The number of lanes that holds `count` samples: a multiple of the vector width (2 or 4). */
export function lanesFor(count: number, width = 2): number {
  return Math.ceil(count / width) * width;
}

export interface RuleLayout {
  readonly states: readonly BufferRef[];
  /** One target norm per state. */
  readonly targets: BufferRef;
  readonly fixed: readonly BufferRef[];
  /** One entry per parameter. */
  readonly params: BufferRef;
  readonly train: readonly BufferRef[];
  readonly test: readonly BufferRef[];
  readonly minibatch: readonly BufferRef[];
  /** The epoch's permutation, `train` i32 entries (stored in element-sized entries). */
  readonly perm: BufferRef;
  /** Lanes of the training set, the test set and the minibatch. */
  readonly lanes: { readonly train: number; readonly test: number; readonly minibatch: number };
}

/** The buffers of a rule's run (scratch is placed by {@link placeBuffers}). */
export function ruleLayout(rule: CompiledRule, element: Element = FLOAT64): RuleLayout {
  const size = (t: { rows: number; cols: number }) => t.rows * t.cols;
  const train = rule.samples?.train ?? 0;
  const test = rule.samples?.test ?? 0;
  const w = element.width;
  const lanes = {
    train: lanesFor(train, w),
    test: lanesFor(test, w),
    minibatch: lanesFor(rule.minibatch, w),
  };
  return {
    states: rule.states.map((s) => ({ name: `state ${s.name}`, entries: size(s) })),
    targets: { name: "target norms", entries: rule.states.length },
    fixed: rule.fixed.map((f) => ({ name: `fixed ${f.name}`, entries: size(f) })),
    params: { name: "params", entries: Math.max(1, rule.params.length) },
    train: rule.data.map((d) => ({ name: `train ${d.name}`, entries: size(d) * lanes.train })),
    test: rule.data.map((d) => ({ name: `test ${d.name}`, entries: size(d) * lanes.test })),
    minibatch: rule.data.map((d) => ({ name: `minibatch ${d.name}`, entries: size(d) * lanes.minibatch })),
    perm: { name: "permutation", entries: Math.ceil((train * 4) / element.bytes) },
    lanes,
  };
}

/** Largest memory a run may take: 2 GiB (a bound on sizes, well inside WebAssembly's 4 GiB). */
const MAX_BYTES = 2 ** 31;

/**
 * Byte addresses for `fixed` buffers one after the other, then for each group of `scratch`
 * buffers from one common start (groups share memory), `bytes` per entry. Returns the
 * addresses and the pages.
 */
export function placeBuffers(
  fixed: readonly BufferRef[],
  scratch: readonly (readonly BufferRef[])[],
  bytes = 8,
): { address: Map<BufferRef, number>; pages: number } {
  const address = new Map<BufferRef, number>();
  const align = (n: number) => Math.ceil(n / 16) * 16;
  let at = 0;
  for (const b of fixed) {
    address.set(b, at);
    at = align(at + bytes * b.entries);
  }
  const start = at;
  let end = at;
  for (const group of scratch) {
    let p = start;
    for (const b of group) {
      address.set(b, p);
      p = align(p + bytes * b.entries);
    }
    end = Math.max(end, p);
  }
  if (end > MAX_BYTES)
    throw new BoundExceededError(
      "placeBuffers",
      "memory of one run (bytes)",
      MAX_BYTES,
      end,
      "use smaller sizes",
    );
  return { address, pages: Math.max(1, Math.ceil(end / 65536)) };
}

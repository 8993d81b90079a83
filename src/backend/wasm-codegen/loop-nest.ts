/**
 * Loops and moving pointers for generated kernels. A pointer walks a strided array: entering a
 * loop over an axis copies each pointer that moves along it into a local of that loop, and each
 * iteration adds its stride, so the innermost loops do no index arithmetic; positions within an
 * unrolled block are immediate load offsets. Trip counts are compile-time constants.
 */
import type { Axis } from "./kernel.ts";
import type { FunctionBuilder } from "./module-builder.ts";

export type PointerId = number;

interface Pointer {
  readonly name: string;
  readonly strides: ReadonlyMap<Axis, number>;
  /** The current value: a constant address, or a local. */
  current: { readonly constant: number } | { readonly local: number };
  /** One local per axis the pointer moves along, reused whenever that loop is entered again. */
  readonly locals: Map<Axis, number>;
  readonly saved: ({ readonly constant: number } | { readonly local: number })[];
}

export class Pointers {
  private readonly all: Pointer[] = [];

  /** `bytes`: the size of one entry (8 for float64, 4 for float32). */
  constructor(
    private readonly fb: FunctionBuilder,
    private readonly bytes: number,
  ) {}

  /** A pointer at byte address `base` moving `strides` entries (`bytes` each) per step of an axis. */
  add(name: string, base: number, strides: ReadonlyMap<Axis, number>): PointerId {
    this.all.push({ name, strides, current: { constant: base }, locals: new Map(), saved: [] });
    return this.all.length - 1;
  }

  /** Entries the pointer moves per step of `axis`. */
  stride(id: PointerId, axis: Axis | null): number {
    return axis === null ? 0 : (this.all[id]!.strides.get(axis) ?? 0);
  }

  /** Pushes the pointer's current address. */
  push(id: PointerId): void {
    const c = this.all[id]!.current;
    if ("constant" in c) this.fb.op("i32.const", c.constant);
    else this.fb.op("local.get", c.local);
  }

  /** Before a loop over `axis`: pointers that move along it get their own copy. */
  enter(axis: Axis): void {
    for (const p of this.all) {
      p.saved.push(p.current);
      if (!p.strides.get(axis)) continue;
      let local = p.locals.get(axis);
      if (local === undefined) {
        local = this.fb.local("i32", `${p.name}_${axis}`);
        p.locals.set(axis, local);
      }
      if ("constant" in p.current) this.fb.op("i32.const", p.current.constant);
      else this.fb.op("local.get", p.current.local);
      this.fb.op("local.set", local);
      p.current = { local };
    }
  }

  /** Moves every pointer `steps` positions along `axis` (inside that axis's loop). */
  advance(axis: Axis, steps: number): void {
    for (const p of this.all) {
      const s = p.strides.get(axis);
      if (!s || !("local" in p.current)) continue;
      this.fb
        .op("local.get", p.current.local)
        .op("i32.const", s * steps * this.bytes)
        .op("i32.add")
        .op("local.set", p.current.local);
    }
  }

  /** After the loop over `axis`: pointers are back at their outer position. */
  exit(_axis: Axis): void {
    for (const p of this.all) p.current = p.saved.pop()!;
  }
}

/** `count` >= 1 iterations of `body` (a do-while loop; straight code when count is 1). */
export function countedLoop(fb: FunctionBuilder, name: string, count: number, body: () => void): void {
  if (count === 1) {
    body();
    return;
  }
  const k = fb.local("i32", name);
  fb.op("i32.const", 0).op("local.set", k).op("loop");
  body();
  fb.op("local.get", k)
    .op("i32.const", 1)
    .op("i32.add")
    .op("local.tee", k)
    .op("i32.const", count)
    .op("i32.ne")
    .op("br_if", 0)
    .op("end");
}

/** A loop over `axis` with `count` iterations, the pointers entered and advanced one step each. */
export function axisLoop(
  fb: FunctionBuilder,
  pointers: Pointers,
  axis: Axis,
  count: number,
  body: () => void,
): void {
  pointers.enter(axis);
  countedLoop(fb, `k_${axis}`, count, () => {
    body();
    if (count > 1) pointers.advance(axis, 1);
  });
  pointers.exit(axis);
}

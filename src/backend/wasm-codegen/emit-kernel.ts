/**
 * One kernel (kernel.ts) as one WebAssembly function with no parameters.
 *
 * A compute kernel loops over its domain row-major (i, then j, then the samples), with the
 * innermost axis as the vector axis: two lanes per f64x2 (four per f32x4 in float32,
 * element.ts), `unroll` vectors per block (so each reduction keeps that many independent
 * accumulators), then the remaining vectors, then the last entries that fill no vector in
 * scalar code. Only independent output entries share a vector; the terms of one
 * sum are added one at a time, from 0, in the order of the reduction's levels, exactly as the
 * IR defines (src/ir/program.ts). In a block, reductions run first (each its own loop nest),
 * then the elementwise epilogue forms and stores each entry, and, for a step's output, adds its
 * square to the sum of squares, which the function returns: a float64 sum in row-major order for
 * float64; for float32, a float64 sum too, of squares that are exact (a float32 entry has 24
 * significant bits, its square 48 < 53), kept per vector lane and unrolled position and added at
 * the end, so that its rounding, n 2^-53 relative, stays far below float32's 2^-24 whatever the
 * order, and the sum is no chain of n dependent additions.
 *
 * Row blocking (EmitContext.accumulators): a block may compute several consecutive entries of the
 * loop around the vector axis (the "row axis") at once, as many as the accumulator budget holds,
 * so that the reductions of every row keep their own accumulators and their chains of dependent
 * additions interleave; a load that does not move along the rows is read once for all of them.
 * Each entry's operations and their order are unchanged, so the values are the same bits. A
 * kernel with a float64 sum of squares is never row blocked (the sum adds the entries in
 * row-major order, one row after the other); a float32 one is (its sum is kept per lane and place
 * in the block, as above).
 *
 * Loads along the vector axis are contiguous (v128.load), broadcast (v128.load64_splat) or, for
 * any other stride, each lane loaded apart. Subexpressions that do not move along the vector
 * axis are evaluated once per block (or per reduction step); those that do not move at all
 * (parameters, constants, hoisted scalars), once per call.
 */
import { InvalidArgumentError } from "../../util/errors.ts";
import { type Element, scalarOp } from "./element.ts";
import { emitBinary, emitConstant, emitUnary, ignoresOperand, type Mode } from "./emit-elementwise.ts";
import {
  type Axis,
  axisStrides,
  type BufferRef,
  type Expr,
  type HostUnary,
  type Kernel,
  outerAxes,
  type View,
  vectorAxis,
} from "./kernel.ts";
import { axisLoop, countedLoop, type PointerId, Pointers } from "./loop-nest.ts";
import type { FunctionBuilder, ModuleBuilder } from "./module-builder.ts";

export interface EmitContext {
  readonly module: ModuleBuilder;
  /** Byte address of a buffer in every member's memory. */
  readonly address: (b: BufferRef) => number;
  /** Index of the imported host function computing `fn` over an array: (src, dst, count) -> (). */
  readonly host: (fn: HostUnary) => number;
  /** Vectors per block (independent accumulators per reduction); 1 to 16. */
  readonly unroll: number;
  /**
   * Accumulators a block may keep in registers over several rows (row blocking); 0 or absent:
   * one row per block.
   */
  readonly accumulators?: number;
  /** The element type of every value in memory and of the arithmetic. */
  readonly element: Element;
}

/** Emits `kernel` as function `name`; a compute kernel with `norm` returns its sum of squares (f64). */
export function emitKernel(ctx: EmitContext, kernel: Kernel, name: string): FunctionBuilder {
  const fb = ctx.module.addFunction(name, {
    params: [],
    results: kernel.kind === "compute" && kernel.norm ? ["f64"] : [],
  });
  switch (kernel.kind) {
    case "compute":
      emitCompute(ctx, fb, kernel);
      break;
    case "host":
      fb.op("i32.const", byteAddress(ctx, kernel.src))
        .op("i32.const", byteAddress(ctx, kernel.out))
        .op("i32.const", kernel.entries);
      fb.op("call", ctx.host(kernel.fn));
      break;
    case "diag":
      emitDiag(ctx, fb, kernel);
      break;
    case "pack":
      emitPack(ctx, fb, kernel);
      break;
  }
  return fb;
}

function byteAddress(ctx: EmitContext, v: View): number {
  if (v.buffer === null)
    throw new InvalidArgumentError("emitKernel", "view", "a view of memory", "a constant");
  return ctx.address(v.buffer) + ctx.element.bytes * v.offset;
}

/** The number of vectors per block: a divisor of `vectors` near `max` when there is one. */
export function blockVectors(vectors: number, max: number): number {
  for (let u = Math.min(max, vectors); u >= Math.ceil(max / 2); u--) if (vectors % u === 0) return u;
  return Math.min(max, vectors);
}

type Reduce = Expr & { kind: "reduce" };

/**
 * Where a value is pushed: vector position u of row `row` of a block. `memo` keeps the values of
 * that row that do not move along the vector axis; `shared` (when a block has several rows), the
 * values at position u that do not move along the row axis, loaded once for all the rows.
 */
interface Place {
  readonly u: number;
  readonly row: number;
  readonly memo: Map<Expr, number>;
  readonly shared: Map<Expr, number> | null;
}

function emitCompute(ctx: EmitContext, fb: FunctionBuilder, kernel: Kernel & { kind: "compute" }): void {
  const { domain, expr } = kernel;
  const vec = vectorAxis(domain);
  const el = ctx.element;
  const W = el.width;
  const pointers = new Pointers(fb, el.bytes);

  // Every load of memory gets a pointer; every reduction, its accumulators.
  const pointerOf = new Map<Expr, PointerId>();
  const strideOf = new Map<Expr, ReadonlyMap<Axis, number>>();
  const reductions: Reduce[] = [];
  const moves = new Map<Expr, Set<Axis>>();
  const collect = (e: Expr): Set<Axis> => {
    let axes: Set<Axis>;
    switch (e.kind) {
      case "load": {
        const strides = axisStrides(e.view, e.axes);
        strideOf.set(e, strides);
        if (e.view.buffer !== null)
          pointerOf.set(e, pointers.add(`p${pointerOf.size}`, byteAddress(ctx, e.view), strides));
        axes = new Set(strides.keys());
        break;
      }
      case "unary":
        axes = collect(e.a);
        break;
      case "binary":
        axes = new Set([...collect(e.a), ...collect(e.b)]);
        break;
      case "reduce":
        reductions.push(e);
        collect(e.term);
        // A reduction's value is per entry: it moves along everything.
        axes = new Set(["*"]);
        break;
    }
    moves.set(e, axes);
    return axes;
  };
  collect(expr);
  const outStrides = axisStrides(kernel.out, { row: "i", col: "j", sample: "s" });
  const out = pointers.add("out", byteAddress(ctx, kernel.out), outStrides);
  if (vec.axis !== null && (outStrides.get(vec.axis) ?? 1) !== 1) {
    throw new InvalidArgumentError(
      "emitKernel",
      `output of ${kernel.label}`,
      "contiguous along the vector axis",
      outStrides.get(vec.axis),
    );
  }
  const invariant = (e: Expr) => moves.get(e)!.size === 0;
  const alongVector = (e: Expr) =>
    vec.axis !== null && (moves.get(e)!.has(vec.axis) || moves.get(e)!.has("*"));

  const temps = { scalar: () => fb.local(el.scalar, "x"), vector: () => fb.local("v128", "v") };
  const sq = kernel.norm ? fb.local("f64", "sumsq") : -1;
  if (kernel.norm) fb.op("f64.const", 0).op("local.set", sq);
  // float32: partial sums of squares (f64x2, lanes 0-1 and 2-3) per position in a block.
  const partial: [number, number][] = [];
  const wideSums = (u: number): [number, number] => {
    partial[u] ??= [fb.local("v128", "sq_low"), fb.local("v128", "sq_high")];
    return partial[u]!;
  };

  // Values that do not move: once, at the start (scalar, and splatted for vector code).
  const hoisted = new Map<Expr, { scalar: number; vector: number }>();
  const accumulators = new Map<Reduce, number[]>();

  // Row blocking: a block computes `rows` consecutive entries of the row axis (the loop around
  // the vector axis) at once; `row` is an entry's place among them, `slot` its accumulators'.
  let blockWidth = 1;
  const rowAxis = outerAxes(domain).at(-1)?.axis ?? null;
  const rowOffset = (p: PointerId, row: number): number => {
    const stride = row === 0 ? 0 : pointers.stride(p, rowAxis);
    return row * stride * el.bytes;
  };
  const alongRows = (e: Expr) => rowAxis !== null && (moves.get(e)!.has(rowAxis) || moves.get(e)!.has("*"));
  const value = (e: Expr, mode: Mode, at: Place): void => {
    const { memo, shared } = at;
    const h = hoisted.get(e);
    if (h) {
      fb.op("local.get", mode === "vector" ? h.vector : h.scalar);
      return;
    }
    const remembered = memo.get(e) ?? shared?.get(e);
    if (remembered !== undefined) {
      fb.op("local.get", remembered);
      return;
    }
    compute(e, mode, at);
    if (!alongVector(e) && e.kind !== "reduce") {
      const local = temps[mode]();
      fb.op("local.tee", local);
      memo.set(e, local);
    } else if (shared !== null && e.kind === "load" && !alongRows(e)) {
      const local = temps[mode]();
      fb.op("local.tee", local);
      shared.set(e, local);
    }
  };

  const compute = (e: Expr, mode: Mode, at: Place): void => {
    const { u, row } = at;
    switch (e.kind) {
      case "load": {
        if (e.view.buffer === null) {
          emitConstant(fb, el, mode, e.view.constant!);
          return;
        }
        const p = pointerOf.get(e)!;
        const sv = pointers.stride(p, vec.axis);
        const r0 = rowOffset(p, row);
        pointers.push(p);
        if (mode === "scalar") fb.op(scalarOp(el, "load"), r0);
        else if (sv === 0) fb.op(el.loadSplat, r0);
        else if (sv === 1) fb.op("v128.load", 16 * u + r0);
        else {
          for (let l = 1; l < W; l++) pointers.push(p);
          const laneAt = (l: number) => (W * u + l) * sv * el.bytes + r0;
          fb.op(el.loadZero, laneAt(0));
          for (let l = 1; l < W; l++) fb.op(el.loadLane, laneAt(l), l);
        }
        return;
      }
      case "unary":
        if (!ignoresOperand(e.fn, e.exponent)) value(e.a, mode, at);
        emitUnary(fb, el, mode, e.fn, e.exponent, temps[mode]);
        return;
      case "binary":
        value(e.a, mode, at);
        value(e.b, mode, at);
        emitBinary(fb, el, mode, e.fn);
        return;
      case "reduce":
        fb.op("local.get", accumulators.get(e)![row * blockWidth + u]!);
        return;
    }
  };

  // Hoist the largest subexpressions that do not move.
  const hoist = (e: Expr): void => {
    if (invariant(e)) {
      if (e.kind === "load" && e.view.buffer === null) return; // a constant: an immediate
      compute(e, "scalar", { u: 0, row: 0, memo: new Map(), shared: null });
      const scalar = fb.local(el.scalar, "c");
      const vector = fb.local("v128", "cv");
      fb.op("local.tee", scalar).op(`${el.vector}.splat`).op("local.set", vector);
      hoisted.set(e, { scalar, vector });
      return;
    }
    if (e.kind === "unary") hoist(e.a);
    else if (e.kind === "binary") {
      hoist(e.a);
      hoist(e.b);
    } else if (e.kind === "reduce") hoist(e.term);
  };
  hoist(expr);

  const block = (mode: Mode, width: number, rows: number) => {
    const acc = mode === "vector" ? "v128" : el.scalar;
    blockWidth = width;
    for (const r of reductions) {
      const accs = Array.from({ length: rows * width }, () => fb.local(acc, "acc"));
      accumulators.set(r, accs);
      for (const a of accs) {
        emitConstant(fb, el, mode, 0);
        fb.op("local.set", a);
      }
      const levels = (k: number): void => {
        if (k === r.levels.length) {
          // Position by position, each row's term (a load that does not move along the rows read
          // once for all of them).
          const memos = Array.from({ length: rows }, () => new Map<Expr, number>());
          for (let u = 0; u < width; u++) {
            const shared = rows > 1 ? new Map<Expr, number>() : null;
            for (let row = 0; row < rows; row++) {
              const a = accs[row * width + u]!;
              fb.op("local.get", a);
              value(r.term, mode, { u, row, memo: memos[row]!, shared });
              emitBinary(fb, el, mode, "add");
              fb.op("local.set", a);
            }
          }
          return;
        }
        const { axis, extent } = r.levels[k]!;
        axisLoop(fb, pointers, axis, extent, () => levels(k + 1));
      };
      levels(0);
    }
    const lane = fb.local("f64", "lane");
    // sq += x^2 for the entry x on the stack, widened to float64.
    const addSquare = () => {
      if (el.scalar === "f32") fb.op("f64.promote_f32");
      fb.op("local.set", lane);
      fb.op("local.get", sq)
        .op("local.get", lane)
        .op("local.get", lane)
        .op("f64.mul")
        .op("f64.add")
        .op("local.set", sq);
    };
    for (let row = 0; row < rows; row++) {
      const memo = new Map<Expr, number>();
      const o = rowOffset(out, row);
      for (let u = 0; u < width; u++) {
        pointers.push(out);
        value(expr, mode, { u, row, memo, shared: null });
        if (mode === "vector") {
          if (kernel.norm && el.scalar === "f32") {
            // Lanes 0, 1 from the vector, lanes 2, 3 reloaded from where it was stored.
            const t = temps.vector();
            fb.op("local.tee", t).op("v128.store", 16 * u + o);
            const [low, high] = wideSums(row * width + u);
            const addSquares = (acc: number) => {
              const w = temps.vector();
              fb.op("f64x2.promote_low_f32x4").op("local.tee", w).op("local.get", w).op("f64x2.mul");
              fb.op("local.get", acc).op("f64x2.add").op("local.set", acc);
            };
            fb.op("local.get", t);
            addSquares(low);
            pointers.push(out);
            fb.op("v128.load64_zero", 16 * u + 8 + o);
            addSquares(high);
          } else if (kernel.norm) {
            const t = temps.vector();
            fb.op("local.tee", t).op("v128.store", 16 * u + o);
            for (let l = 0; l < W; l++) {
              fb.op("local.get", t).op(`${el.vector}.extract_lane`, l);
              addSquare();
            }
          } else fb.op("v128.store", 16 * u + o);
        } else {
          if (kernel.norm) {
            const t = temps.scalar();
            fb.op("local.tee", t).op(scalarOp(el, "store"), o).op("local.get", t);
            addSquare();
          } else fb.op(scalarOp(el, "store"), o);
        }
      }
    }
  };

  const vectors = vec.axis === null ? 0 : Math.floor(vec.lanes / W);
  const unroll = blockVectors(Math.max(vectors, 1), ctx.unroll);
  const vectorLoop = (rows: number) => {
    if (vec.axis === null) {
      block("scalar", 1, rows);
      return;
    }
    const axis = vec.axis;
    const tail = vec.lanes % W;
    const u = unroll;
    const full = Math.floor(vectors / u);
    const rest = vectors % u;
    pointers.enter(axis);
    if (full > 0) {
      countedLoop(fb, "k_block", full, () => {
        block("vector", u, rows);
        if (full > 1 || rest > 0 || tail) pointers.advance(axis, W * u);
      });
    }
    if (rest > 0) {
      block("vector", rest, rows);
      if (tail) pointers.advance(axis, W * rest);
    }
    for (let t = 0; t < tail; t++) {
      block("scalar", 1, rows);
      if (t + 1 < tail) pointers.advance(axis, 1);
    }
    pointers.exit(axis);
  };

  // Rows per block: as many as the accumulator budget holds, when the kernel has reductions (whose
  // chains of dependent additions the rows interleave) and no float64 sum of squares (which must
  // add the entries in row-major order, one row after the other).
  const outer = outerAxes(domain);
  const budget = ctx.accumulators ?? 0;
  const rowsPerBlock =
    rowAxis === null || reductions.length === 0 || (kernel.norm && el.scalar === "f64")
      ? 1
      : Math.max(1, Math.min(outer.at(-1)!.extent, Math.floor(budget / (unroll * reductions.length))));
  const nest = (k: number): void => {
    if (k === outer.length - 1 && rowsPerBlock > 1) {
      const { axis, extent } = outer[k]!;
      const full = Math.floor(extent / rowsPerBlock);
      const rest = extent % rowsPerBlock;
      pointers.enter(axis);
      countedLoop(fb, `k_${axis}`, full, () => {
        vectorLoop(rowsPerBlock);
        if (full > 1 || rest > 0) pointers.advance(axis, rowsPerBlock);
      });
      if (rest > 0) vectorLoop(rest);
      pointers.exit(axis);
      return;
    }
    if (k === outer.length) {
      vectorLoop(1);
      return;
    }
    axisLoop(fb, pointers, outer[k]!.axis, outer[k]!.extent, () => nest(k + 1));
  };
  nest(0);
  if (kernel.norm) {
    for (const pair of partial) {
      for (const acc of pair) {
        for (const l of [0, 1]) {
          fb.op("local.get", sq)
            .op("local.get", acc)
            .op("f64x2.extract_lane", l)
            .op("f64.add")
            .op("local.set", sq);
        }
      }
    }
    fb.op("local.get", sq);
  }
}

/** out = diag(src): every entry 0, then src's entry k (per lane) at (k, k). */
function emitDiag(ctx: EmitContext, fb: FunctionBuilder, kernel: Kernel & { kind: "diag" }): void {
  const { n, domain, src } = kernel;
  const lanes = domain.perSample ? domain.lanes : 1;
  const e = ctx.element;
  const pointers = new Pointers(fb, e.bytes);
  const zero = pointers.add("z", byteAddress(ctx, kernel.out), new Map([["q", 1]]));
  axisLoop(fb, pointers, "q", n * n * lanes, () => {
    pointers.push(zero);
    emitConstant(fb, e, "scalar", 0);
    fb.op(scalarOp(e, "store"), 0);
  });
  const along = src.rows === 1 ? src.colStride : src.rowStride;
  const from = pointers.add(
    "src",
    byteAddress(ctx, src),
    new Map([
      ["k", along],
      ["l", src.perSample ? src.sampleStride : 0],
    ]),
  );
  const to = pointers.add(
    "dst",
    byteAddress(ctx, kernel.out),
    new Map([
      ["k", (n + 1) * lanes],
      ["l", 1],
    ]),
  );
  axisLoop(fb, pointers, "k", n, () =>
    axisLoop(fb, pointers, "l", lanes, () => {
      pointers.push(to);
      pointers.push(from);
      fb.op(scalarOp(e, "load"), 0).op(scalarOp(e, "store"), 0);
    }),
  );
}

/** out[s, r, c] at the packed strides = src(r, c, s), for s < count. */
function emitPack(ctx: EmitContext, fb: FunctionBuilder, kernel: Kernel & { kind: "pack" }): void {
  const { src, out, count } = kernel;
  const e = ctx.element;
  const pointers = new Pointers(fb, e.bytes);
  const from = pointers.add(
    "src",
    byteAddress(ctx, src),
    new Map([
      ["s", src.sampleStride],
      ["r", src.rowStride],
      ["c", src.colStride],
    ]),
  );
  const to = pointers.add(
    "dst",
    byteAddress(ctx, out),
    new Map([
      ["s", out.sampleStride],
      ["r", out.rowStride],
      ["c", out.colStride],
    ]),
  );
  axisLoop(fb, pointers, "s", count, () =>
    axisLoop(fb, pointers, "r", src.rows, () =>
      axisLoop(fb, pointers, "c", src.cols, () => {
        pointers.push(to);
        pointers.push(from);
        fb.op(scalarOp(e, "load"), 0).op(scalarOp(e, "store"), 0);
      }),
    ),
  );
}

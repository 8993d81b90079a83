/**
 * One kernel (src/backend/wasm-codegen/kernel.ts) as one C function over the run's memory, for
 * the native backend: the counterpart of emit-kernel.ts, reading the same kernel list.
 *
 * A compute kernel loops over its domain row-major with the vector axis innermost, in blocks of
 * `unroll` vectors of `width` lanes (GCC vector extensions, `vector_size`, so the compiler emits
 * full-width SIMD: AVX-512 or AVX2), then the remaining lanes in narrower vectors (halving down
 * to one lane). A block may also cover several rows of the loop around the vector axis (row
 * blocking, as in emit-kernel.ts) so that the reductions of every row keep their own
 * accumulators. Only independent output entries share a vector; every reduction is a sum from
 * 0, in the order of its levels, one term at a time, and every operation is the IR's, in its
 * order: compiled without contraction or reassociation (native-compiler.ts), the float64
 * results are bit for bit those of the interpreter, and the float32 ones are the float64
 * sequence of operations with each result rounded to float32.
 *
 * A step's output also returns its sum of squares: in float64, entry by entry in row-major order
 * (the interpreter's sum, so never row blocked); in float32, of the exact float64 squares of the
 * float32 entries, kept per lane of one float64 vector per width and added at the end (as
 * emit-kernel.ts argues, the order does not matter at float32's precision).
 */
import { InvalidArgumentError } from "../../util/errors.ts";
import type { Element } from "../wasm-codegen/element.ts";
import {
  type Axis,
  axisStrides,
  type BufferRef,
  type Expr,
  type Kernel,
  outerAxes,
  type View,
  vectorAxis,
} from "../wasm-codegen/kernel.ts";

export interface CEmitContext {
  /** Byte address of a buffer in the run's memory. */
  readonly address: (b: BufferRef) => number;
  /** Index of a host function in the kernel's host table. */
  readonly host: (fn: string) => number;
  readonly element: Element;
  /** Lanes of the widest vector (8 for float64 in AVX-512). */
  readonly width: number;
  /** Full-width vectors per block. */
  readonly unroll: number;
  /** Accumulators a block may keep over several rows (0: one row per block). */
  readonly accumulators: number;
}

/** The C type of the element and of a vector of `w` of them (w = 1: the scalar). */
export function cType(e: Element, w = 1): string {
  const t = e.scalar === "f64" ? "double" : "float";
  return w === 1 ? t : `${t === "double" ? "vd" : "vf"}${w}`;
}

/** A C literal of value x in the element type (exact: hexadecimal, float32-rounded for float32). */
export function cLiteral(e: Element, x: number): string {
  if (Number.isNaN(x)) return e.scalar === "f64" ? '__builtin_nan("")' : '__builtin_nanf("")';
  if (!Number.isFinite(x))
    return `${x < 0 ? "-" : ""}${e.scalar === "f64" ? "__builtin_inf()" : "__builtin_inff()"}`;
  const v = e.scalar === "f32" ? Math.fround(x) : x;
  return `${hexFloat(v)}${e.scalar === "f32" ? "f" : ""}`;
}

/** A finite double as a C hexadecimal floating literal (exact). */
function hexFloat(x: number): string {
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const sign = hi >>> 31 ? "-" : "";
  const exponent = (hi >>> 20) & 0x7ff;
  const mantissa = ((hi & 0xfffff).toString(16).padStart(5, "0") + lo.toString(16).padStart(8, "0")).replace(
    /0+$/,
    "",
  );
  const lead = exponent === 0 ? "0" : "1";
  const e = exponent === 0 ? -1022 : exponent - 1023;
  return `${sign}0x${lead}${mantissa ? `.${mantissa}` : ""}p${e}`;
}

/** The widths of the vectors covering `lanes` lanes after `full` full-width ones: halving down to 1. */
export function chunksOf(lanes: number, width: number): number[] {
  const out: number[] = [];
  let rest = lanes;
  for (let w = width; w >= 1; w = Math.floor(w / 2)) {
    while (rest >= w) {
      out.push(w);
      rest -= w;
    }
  }
  return out;
}

type Reduce = Expr & { kind: "reduce" };

/** Where one chunk of a block is: its first lane's offset along the vector axis, width, row. */
interface Place {
  readonly lane: number;
  readonly w: number;
  readonly row: number;
}

/** The C function `name(unsigned char *mem, host_t *h)` of `kernel`; compute kernels with a norm return it. */
export function emitCKernel(ctx: CEmitContext, kernel: Kernel, name: string): string {
  const e = ctx.element;
  const T = cType(e);
  const returns = kernel.kind === "compute" && kernel.norm ? "double" : "void";
  const head = `static ${returns} ${name}(unsigned char *mem, host_t *h) {\n  ${T} *b = (${T} *)mem;\n  (void)b;\n  (void)h;\n`;
  switch (kernel.kind) {
    case "compute":
      return `${head}${emitCompute(ctx, kernel)}}\n`;
    case "host":
      return `${head}  host_call(h, ${ctx.host(kernel.fn)}, ${byteAddress(ctx, kernel.src)}, ${byteAddress(ctx, kernel.out)}, ${kernel.entries});\n}\n`;
    case "diag":
      return `${head}${emitDiag(ctx, kernel)}}\n`;
    case "pack":
      return `${head}${emitPack(ctx, kernel)}}\n`;
  }
}

function byteAddress(ctx: CEmitContext, v: View): number {
  if (v.buffer === null)
    throw new InvalidArgumentError("emitCKernel", "view", "a view of memory", "a constant");
  return ctx.address(v.buffer) + ctx.element.bytes * v.offset;
}

function entryIndex(ctx: CEmitContext, v: View): number {
  return byteAddress(ctx, v) / ctx.element.bytes;
}

function emitCompute(ctx: CEmitContext, kernel: Kernel & { kind: "compute" }): string {
  const e = ctx.element;
  const { domain, expr } = kernel;
  const vec = vectorAxis(domain);
  const outer = outerAxes(domain);
  const rowAxis: Axis | null = outer.at(-1)?.axis ?? null;
  const lines: string[] = [];
  const put = (depth: number, s: string) => lines.push(`${"  ".repeat(depth)}${s}`);

  const reductions: Reduce[] = [];
  const collect = (x: Expr): void => {
    if (x.kind === "reduce") {
      reductions.push(x);
      collect(x.term);
    } else if (x.kind === "unary") collect(x.a);
    else if (x.kind === "binary") {
      collect(x.a);
      collect(x.b);
    }
  };
  collect(expr);
  const outStrides = axisStrides(kernel.out, { row: "i", col: "j", sample: "s" });
  if (vec.axis !== null && (outStrides.get(vec.axis) ?? 1) !== 1) {
    throw new InvalidArgumentError(
      "emitCKernel",
      `output of ${kernel.label}`,
      "contiguous along the vector axis",
      outStrides.get(vec.axis),
    );
  }

  // The index of entry (axes at `at`) of a view: the block's vector and row offsets added.
  const index = (base: number, strides: ReadonlyMap<Axis, number>, at: Place): string => {
    const terms: string[] = [String(base)];
    for (const [axis, stride] of strides) {
      let v: string = axis;
      if (axis === vec.axis && at.lane > 0) v = `(${axis} + ${at.lane})`;
      else if (axis === rowAxis && at.row > 0) v = `(${axis} + ${at.row})`;
      terms.push(stride === 1 ? v : `${v} * ${stride}`);
    }
    return terms.join(" + ");
  };
  const accName = (r: number, at: Place) => `a${r}_${at.row}_${at.lane}`;

  // Broadcasts of one entry to the chunks of a block: loaded once at the widest width, the narrower
  // chunks taking its low lanes (a register, no instruction), so a row's entry is read once.
  let splats: Map<string, { name: string; width: number }> | null = null;
  const shared = (lines: string[]): { decls: string[]; lines: string[] } => {
    const found = [...splats!.entries()];
    splats = null;
    const decls = found.map(([i, s]) => `${cType(e, s.width)} ${s.name} = splat${s.width}(b[${i}]);`);
    const widest = new Map(found.map(([, s]) => [s.name, s.width]));
    const resolved = lines.map((l) =>
      l.replace(/@@(bc\d+):(\d+)@@/g, (_, name: string, w: string) =>
        Number(w) === widest.get(name) ? name : `lo${w}_${widest.get(name)}(${name})`,
      ),
    );
    return { decls, lines: resolved };
  };
  const value = (x: Expr, at: Place): string => {
    switch (x.kind) {
      case "load": {
        if (x.view.buffer === null) {
          const c = cLiteral(e, x.view.constant!);
          return at.w === 1 ? c : `splat${at.w}(${c})`;
        }
        const strides = axisStrides(x.view, x.axes);
        const i = index(entryIndex(ctx, x.view), strides, at);
        if (at.w === 1) return `b[${i}]`;
        const sv = vec.axis === null ? 0 : (strides.get(vec.axis) ?? 0);
        if (sv === 0) {
          if (splats === null) return `splat${at.w}(b[${i}])`;
          let s = splats.get(i);
          if (!s) {
            s = { name: `bc${splats.size}`, width: at.w };
            splats.set(i, s);
          }
          s.width = Math.max(s.width, at.w);
          return `@@${s.name}:${at.w}@@`;
        }
        if (sv === 1) return `ld${at.w}(b + ${i})`;
        const lanes = Array.from({ length: at.w }, (_, l) => `b[${i} + ${l * sv}]`);
        return `(${cType(e, at.w)}){${lanes.join(", ")}}`;
      }
      case "unary":
        return unary(e, x.fn, x.exponent, value(x.a, at), at.w);
      case "binary": {
        const op = { add: "+", sub: "-", mul: "*", div: "/" }[x.fn];
        return `(${value(x.a, at)} ${op} ${value(x.b, at)})`;
      }
      case "reduce":
        return accName(reductions.indexOf(x), at);
    }
  };

  const sq = kernel.norm;
  const wide32 = sq && e.scalar === "f32";
  if (sq) put(1, "double sq = 0;");
  // float32: float64 partial sums of the exact squares, one per vector width (few registers).
  const partials = new Set<string>();
  const partialOf = (at: Place) => {
    const p = `sq_${at.w}`;
    partials.add(p);
    return p;
  };

  const outBase = entryIndex(ctx, kernel.out);
  const block = (depth: number, chunks: readonly Place[]) => {
    for (let r = 0; r < reductions.length; r++) {
      const red = reductions[r]!;
      for (const at of chunks) put(depth, `${cType(e, at.w)} ${accName(r, at)} = ${zero(e, at.w)};`);
      let d = depth;
      for (const level of red.levels) {
        put(d, `for (int ${level.axis} = 0; ${level.axis} < ${level.extent}; ${level.axis}++) {`);
        d++;
      }
      splats = new Map();
      const sums = shared(
        chunks.map((at) => `${accName(r, at)} = ${accName(r, at)} + ${value(red.term, at)};`),
      );
      for (const line of [...sums.decls, ...sums.lines]) put(d, line);
      for (let k = red.levels.length; k > 0; k--) put(depth + k - 1, "}");
    }
    splats = new Map();
    const ys = shared(chunks.map((at) => `${cType(e, at.w)} y_${at.row}_${at.lane} = ${value(expr, at)};`));
    for (const line of ys.decls) put(depth, line);
    chunks.forEach((at, k) => {
      const y = `y_${at.row}_${at.lane}`;
      put(depth, ys.lines[k]!);
      const o = index(outBase, outStrides, at);
      put(depth, at.w === 1 ? `b[${o}] = ${y};` : `st${at.w}(b + ${o}, ${y});`);
      if (!sq) return;
      if (wide32) {
        const p = partialOf(at);
        if (at.w === 1) put(depth, `${p} += (double)${y} * (double)${y};`);
        else put(depth, `{ vd${at.w} c = __builtin_convertvector(${y}, vd${at.w}); ${p} += c * c; }`);
      } else if (at.w === 1) put(depth, `sq += ${y} * ${y};`);
      else {
        put(depth, `{ ${cType(e, at.w)} q = ${y} * ${y};`);
        for (let l = 0; l < at.w; l++) put(depth + 1, `sq += q[${l}];`);
        put(depth, "}");
      }
    });
  };

  // Blocks along the vector axis for `rows` rows: full ones (unroll vectors), then the rest.
  const W = ctx.width;
  const vectorBlocks = (depth: number, rows: number) => {
    const place = (widths: readonly number[]) => {
      const out: Place[] = [];
      for (let row = 0; row < rows; row++) {
        let lane = 0;
        for (const w of widths) {
          out.push({ lane, w, row });
          lane += w;
        }
      }
      return out;
    };
    if (vec.axis === null) {
      block(depth, place([1]));
      return;
    }
    const ax = vec.axis;
    const lanes = vec.lanes;
    const perBlock = W * ctx.unroll;
    const full = Math.floor(lanes / perBlock);
    const rest = lanes - full * perBlock;
    if (full > 0) {
      put(depth, `for (${ax} = 0; ${ax} < ${full * perBlock}; ${ax} += ${perBlock}) {`);
      block(depth + 1, place(Array.from({ length: ctx.unroll }, () => W)));
      put(depth, "}");
    }
    if (rest > 0) {
      put(depth, `${ax} = ${full * perBlock};`);
      put(depth, "{");
      block(depth + 1, place(chunksOf(rest, W)));
      put(depth, "}");
    }
  };

  const chunksPerRow = (() => {
    if (vec.axis === null) return 1;
    const perBlock = W * ctx.unroll;
    return vec.lanes >= perBlock ? ctx.unroll : chunksOf(vec.lanes, W).length;
  })();
  const rowsPerBlock =
    rowAxis === null || reductions.length === 0 || (sq && !wide32)
      ? 1
      : Math.max(
          1,
          Math.min(outer.at(-1)!.extent, Math.floor(ctx.accumulators / (chunksPerRow * reductions.length))),
        );

  put(1, "int i = 0, j = 0, s = 0;");
  put(1, "(void)i; (void)j; (void)s;");
  const nest = (k: number, depth: number): void => {
    if (k === outer.length) {
      vectorBlocks(depth, 1);
      return;
    }
    const { axis, extent } = outer[k]!;
    if (k === outer.length - 1 && rowsPerBlock > 1) {
      const full = Math.floor(extent / rowsPerBlock) * rowsPerBlock;
      put(depth, `for (${axis} = 0; ${axis} < ${full}; ${axis} += ${rowsPerBlock}) {`);
      vectorBlocks(depth + 1, rowsPerBlock);
      put(depth, "}");
      if (full < extent) {
        put(depth, `${axis} = ${full};`);
        put(depth, "{");
        vectorBlocks(depth + 1, extent - full);
        put(depth, "}");
      }
      return;
    }
    put(depth, `for (${axis} = 0; ${axis} < ${extent}; ${axis}++) {`);
    nest(k + 1, depth + 1);
    put(depth, "}");
  };
  nest(0, 1);
  const body = lines.join("\n");
  const decls = [...partials].map((p) => {
    const w = Number(p.split("_").at(-1));
    return `  ${w === 1 ? "double" : `vd${w}`} ${p} = ${w === 1 ? "0" : `(vd${w}){0}`};`;
  });
  const tail: string[] = [];
  for (const p of partials) {
    const w = Number(p.split("_").at(-1));
    if (w === 1) tail.push(`  sq += ${p};`);
    else for (let l = 0; l < w; l++) tail.push(`  sq += ${p}[${l}];`);
  }
  if (sq) tail.push("  return sq;");
  return [...decls, body, ...tail, ""].join("\n");
}

function zero(e: Element, w: number): string {
  return w === 1 ? cLiteral(e, 0) : `(${cType(e, w)}){0}`;
}

/** f(x) for the C expression x of `w` lanes, exactly src/ir/elementwise.ts's definition. */
function unary(e: Element, fn: string, exponent: number, x: string, w: number): string {
  const one = w === 1 ? cLiteral(e, 1) : `splat${w}(${cLiteral(e, 1)})`;
  switch (fn) {
    case "negate":
      return `(-${x})`;
    case "linear":
      return x;
    case "linear'":
      return one;
    case "sqrt":
    case "abs":
    case "relu":
    case "relu'":
    case "abs'":
      return `${fn.replace("'", "_d")}${w}(${x})`;
    case "log'":
      return `(${one} / ${x})`;
    case "sqrt'":
      return `(${w === 1 ? cLiteral(e, 0.5) : `splat${w}(${cLiteral(e, 0.5)})`} / sqrt${w}(${x}))`;
    case "pow": {
      // integerPower: x*x*...*x left to right; 1 for k = 0; 1 / x^|k| for k < 0.
      if (!Number.isInteger(exponent))
        throw new InvalidArgumentError("emitCKernel", "exponent", "an integer", exponent);
      const k = Math.abs(exponent);
      if (k === 0) return one;
      return `pow${exponent < 0 ? "n" : "p"}${k}_${w}(${x})`;
    }
    default:
      throw new InvalidArgumentError("emitCKernel", "fn", "an arithmetic elementwise function", fn);
  }
}

/** The integer powers a kernel uses, as [exponent, width] pairs (helpers the prelude defines). */
export function powersOf(kernel: Kernel, width: number): Set<string> {
  const out = new Set<string>();
  const visit = (x: Expr): void => {
    if (x.kind === "unary") {
      if (x.fn === "pow" && x.exponent !== 0) {
        for (let w = width; w >= 1; w = Math.floor(w / 2)) out.add(`${x.exponent} ${w}`);
      }
      visit(x.a);
    } else if (x.kind === "binary") {
      visit(x.a);
      visit(x.b);
    } else if (x.kind === "reduce") visit(x.term);
  };
  if (kernel.kind === "compute") visit(kernel.expr);
  return out;
}

/** out = diag(src): every entry 0, then src's entry k (per lane) at (k, k). */
function emitDiag(ctx: CEmitContext, kernel: Kernel & { kind: "diag" }): string {
  const { n, domain, src } = kernel;
  const lanes = domain.perSample ? domain.lanes : 1;
  const out = entryIndex(ctx, kernel.out);
  const from = entryIndex(ctx, src);
  const along = src.rows === 1 ? src.colStride : src.rowStride;
  const sampleStride = src.perSample ? src.sampleStride : 0;
  return [
    `  for (int q = 0; q < ${n * n * lanes}; q++) b[${out} + q] = ${cLiteral(ctx.element, 0)};`,
    `  for (int k = 0; k < ${n}; k++)`,
    `    for (int l = 0; l < ${lanes}; l++) b[${out} + k * ${(n + 1) * lanes} + l] = b[${from} + k * ${along} + l * ${sampleStride}];`,
    "",
  ].join("\n");
}

/** out[s, r, c] at the packed strides = src(r, c, s), for s < count. */
function emitPack(ctx: CEmitContext, kernel: Kernel & { kind: "pack" }): string {
  const { src, out, count } = kernel;
  const f = entryIndex(ctx, src);
  const t = entryIndex(ctx, out);
  return [
    `  for (int s = 0; s < ${count}; s++)`,
    `    for (int r = 0; r < ${src.rows}; r++)`,
    `      for (int c = 0; c < ${src.cols}; c++)`,
    `        b[${t} + s * ${out.sampleStride} + r * ${out.rowStride} + c * ${out.colStride}] = b[${f} + s * ${src.sampleStride} + r * ${src.rowStride} + c * ${src.colStride}];`,
    "",
  ].join("\n");
}

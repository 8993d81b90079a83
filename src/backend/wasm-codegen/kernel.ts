/**
 * The loop-level form of an IR program that the WebAssembly emitter reads: a list of kernels,
 * each one loop nest that writes one buffer. It sits between the tensor IR (src/ir/program.ts)
 * and the instructions (emit-kernel.ts):
 *
 * - A {@link View} is how a value is read from memory: a buffer, an offset and a stride per
 *   dimension (row, column, sample), so transposes and broadcasts cost nothing.
 * - An {@link Expr} is what one entry of a kernel's output is: loads of views, elementwise
 *   arithmetic, and reductions (`reduce`: a sum, from 0 in the order of its levels, of a term),
 *   which is what matmul, sampleSum and sum all are. Every load names the loop axis each of
 *   its dimensions follows, so the emitter needs no knowledge of the IR's operations.
 * - A {@link Kernel} evaluates an expression over a domain (rows x cols, times the samples for a
 *   per-sample value), or is one of the few kernels that are not elementwise: a call to the host
 *   for a transcendental function, a dense diagonal, or a packed copy of a view.
 *
 * Per-sample values are stored "lanes" layout, [rows, cols, lanes] with the sample innermost
 * and the sample count padded to an even number of lanes, so that every per-sample kernel runs
 * two samples per f64x2 vector; other values are row-major [rows, cols].
 */
import type { BinaryFn, UnaryFn } from "../../ir/program.ts";

/** A region of memory the layout gives an address: a state, the parameters, a scratch buffer... */
export interface BufferRef {
  readonly name: string;
  /** float64 entries. */
  readonly entries: number;
}

/** How a value is read: entry (row r, col c, sample s) is at offset + r*rowStride + c*colStride + s*sampleStride. */
export interface View {
  /** null for a constant, whose value is `constant`. */
  readonly buffer: BufferRef | null;
  readonly constant?: number;
  /** In entries. */
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
  readonly perSample: boolean;
  readonly rowStride: number;
  readonly colStride: number;
  readonly sampleStride: number;
}

/** The loop axes of a kernel: its domain i (rows), j (columns), s (samples), and each reduction's own. */
export type Axis = string;

/** Which axis each dimension of a loaded view follows (null: the dimension has extent 1). */
export interface AxisMap {
  readonly row: Axis | null;
  readonly col: Axis | null;
  readonly sample: Axis | null;
}

/** The elementwise functions computed in WebAssembly (the others are host kernels). */
export type ArithmeticUnary = Exclude<UnaryFn, HostUnary>;

/** The elementwise functions evaluated by the host's own Math (src/ir/elementwise.ts). */
export type HostUnary = "tanh" | "sigmoid" | "exp" | "log" | "tanh'" | "sigmoid'" | "exp'";

export const HOST_UNARY: ReadonlySet<UnaryFn> = new Set<HostUnary>([
  "tanh",
  "sigmoid",
  "exp",
  "log",
  "tanh'",
  "sigmoid'",
  "exp'",
]);

export type Expr =
  | { readonly kind: "load"; readonly view: View; readonly axes: AxisMap }
  | { readonly kind: "unary"; readonly fn: ArithmeticUnary; readonly exponent: number; readonly a: Expr }
  | { readonly kind: "binary"; readonly fn: BinaryFn; readonly a: Expr; readonly b: Expr }
  /** sum over the levels (outermost first, each index increasing) of term, accumulated from 0. */
  | {
      readonly kind: "reduce";
      readonly levels: readonly { readonly axis: Axis; readonly extent: number }[];
      readonly term: Expr;
    };

/** The entries a kernel computes: rows x cols, per sample over `lanes` lanes when perSample. */
export interface Domain {
  readonly rows: number;
  readonly cols: number;
  readonly perSample: boolean;
  /** Padded sample count (even) of a per-sample domain; 1 otherwise. */
  readonly lanes: number;
}

export type Kernel =
  /** out[entry] = expr at entry, over the domain; `norm`: also return the sum of squares in row-major order. */
  | {
      readonly kind: "compute";
      readonly label: string;
      readonly domain: Domain;
      readonly expr: Expr;
      readonly out: View;
      readonly norm: boolean;
    }
  /** out[q] = f(src[q]) for q < entries, by the host (both views contiguous, same layout). */
  | {
      readonly kind: "host";
      readonly label: string;
      readonly fn: HostUnary;
      readonly src: View;
      readonly out: View;
      readonly entries: number;
    }
  /** out = diag(src): zeros, and src's n entries (per lane) on the diagonal. */
  | {
      readonly kind: "diag";
      readonly label: string;
      readonly n: number;
      readonly domain: Domain;
      readonly src: View;
      readonly out: View;
    }
  /** out(r, c, s) = src(r, c, s) for s < count: a copy at out's strides (contiguous along one axis). */
  | {
      readonly kind: "pack";
      readonly label: string;
      readonly src: View;
      readonly out: View;
      readonly count: number;
    };

/** The canonical view of a buffer holding a value of this shape: lanes layout when per sample. */
export function canonicalView(
  buffer: BufferRef,
  rows: number,
  cols: number,
  perSample: boolean,
  lanes: number,
  offset = 0,
): View {
  return perSample
    ? { buffer, offset, rows, cols, perSample, rowStride: cols * lanes, colStride: lanes, sampleStride: 1 }
    : { buffer, offset, rows, cols, perSample, rowStride: cols, colStride: 1, sampleStride: 0 };
}

export function transposeView(v: View): View {
  return { ...v, rows: v.cols, cols: v.rows, rowStride: v.colStride, colStride: v.rowStride };
}

export function constantView(value: number): View {
  return {
    buffer: null,
    constant: value,
    offset: 0,
    rows: 1,
    cols: 1,
    perSample: false,
    rowStride: 0,
    colStride: 0,
    sampleStride: 0,
  };
}

/** The stride (in entries) of a load along each axis it follows. */
export function axisStrides(view: View, axes: AxisMap): Map<Axis, number> {
  const out = new Map<Axis, number>();
  // A dimension of extent 1 is broadcast: it does not move along its axis.
  const add = (axis: Axis | null, extent: number, stride: number) => {
    if (axis === null || extent === 1 || stride === 0) return;
    out.set(axis, (out.get(axis) ?? 0) + stride);
  };
  add(axes.row, view.rows, view.rowStride);
  add(axes.col, view.cols, view.colStride);
  if (view.perSample) add(axes.sample, Number.POSITIVE_INFINITY, view.sampleStride);
  return out;
}

/** The axis a kernel vectorizes: samples when per sample, else columns, else rows, else none. */
export function vectorAxis(domain: Domain): { readonly axis: Axis | null; readonly lanes: number } {
  if (domain.perSample) return { axis: "s", lanes: domain.lanes };
  if (domain.cols > 1) return { axis: "j", lanes: domain.cols };
  if (domain.rows > 1) return { axis: "i", lanes: domain.rows };
  return { axis: null, lanes: 1 };
}

/** The loop axes of a domain outside the vector axis, outermost first, with their extents (> 1 only). */
export function outerAxes(domain: Domain): { readonly axis: Axis; readonly extent: number }[] {
  const v = vectorAxis(domain).axis;
  const all = [
    { axis: "i", extent: domain.rows },
    { axis: "j", extent: domain.cols },
  ];
  return all.filter((a) => a.axis !== v && a.extent > 1);
}

/** The axes of the epilogue: a domain entry (i, j) and, per sample, s. */
export const DOMAIN_AXES: AxisMap = { row: "i", col: "j", sample: "s" };

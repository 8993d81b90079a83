/**
 * Fusion: an IR program (src/ir/program.ts) as a list of kernels (kernel.ts), deciding which
 * values are stored and which are computed inside the loop that consumes them.
 *
 * A value is computed inline, in its consumer's loop, when that loop evaluates it exactly once
 * per entry: it has one use, is not an output, and has the consumer's domain (same shape, same
 * sample axis; a broadcast operand would be recomputed per repeat, so it is stored instead).
 * Elementwise chains therefore run in the loop that produces or consumes them; a matmul,
 * sampleSum or sum is inlined as a reduction into an elementwise consumer (so W + h F writes
 * W's new value in the pass that forms F), never into another reduction's term. Matmul and
 * transpose operands are read through views of stored values; a transpose is only a view.
 *
 * Nothing here changes an operation or its order: a stored value and an inlined one are the
 * same float64 operations on the same operands. Two rewrites give the same bits by
 * construction: tanh'(x), sigmoid'(x) and exp'(x) are formed from the value of tanh(x),
 * sigmoid(x) or exp(x) when the program computes that too (src/ir/elementwise.ts defines them
 * from it: 1 - t*t, s*(1 - s), e); and a view that a loop would read with a stride along its
 * vector axis, more than once per entry, is first packed into a contiguous copy.
 *
 * The outputs of a step (new states, options.stateOutputs) also get their sum of squares in
 * row-major order, computed in the loop that writes them; an output is written straight into
 * its state's memory when nothing reads that state after it (and its own loop reads the state
 * only at the entry it writes).
 */
import { operands } from "../../ir/lower.ts";
import type { IrNode, IrProgram, IrType, UnaryFn } from "../../ir/program.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import {
  type ArithmeticUnary,
  type Axis,
  type AxisMap,
  axisStrides,
  type BufferRef,
  canonicalView,
  constantView,
  DOMAIN_AXES,
  type Domain,
  type Expr,
  HOST_UNARY,
  type HostUnary,
  type Kernel,
  outerAxes,
  transposeView,
  type View,
  vectorAxis,
} from "./kernel.ts";
import { lanesFor } from "./memory-layout.ts";

/** Where the leaves of a program live. */
export interface LeafPlaces {
  readonly states: readonly BufferRef[];
  readonly fixed: readonly BufferRef[];
  /** One entry per parameter. */
  readonly params: BufferRef;
  /** Each data tensor over the program's sample set, lanes layout with the program's lanes. */
  readonly data: readonly BufferRef[];
}

export interface PlanOptions {
  /** Output k is the new value of state k: compute its norm, and write it in place when safe. */
  readonly stateOutputs: boolean;
  /** Prefix of the names of scratch buffers (one program's scratch may share memory with another's). */
  readonly prefix: string;
  /** Lanes per vector: the sample count of per-sample values is padded to a multiple (default 2). */
  readonly width?: number;
}

export interface PlannedOutput {
  /** Where the output's value is after the kernels ran. */
  readonly view: View;
  /** With stateOutputs: index of the kernel that returns its sum of squares. */
  readonly normKernel: number;
  /** With stateOutputs: whether the kernels wrote it into its state's memory already. */
  readonly inPlace: boolean;
}

export interface ProgramPlan {
  readonly kernels: readonly Kernel[];
  /** Buffers the program needs besides its leaves. */
  readonly scratch: readonly BufferRef[];
  readonly outputs: readonly PlannedOutput[];
  /** Padded sample count of per-sample values (lanes layout). */
  readonly lanes: number;
}

type NodeClass = "leaf" | "view" | "root" | "inline" | "dead";

const PRIMAL: Partial<Record<UnaryFn, UnaryFn>> = { "tanh'": "tanh", "sigmoid'": "sigmoid", "exp'": "exp" };

const sameType = (a: IrType, b: IrType) =>
  a.rows === b.rows && a.cols === b.cols && a.perSample === b.perSample;
const isLeaf = (n: IrNode) =>
  n.op === "state" || n.op === "fixed" || n.op === "param" || n.op === "data" || n.op === "constant";
const isReduction = (n: IrNode) => n.op === "matmul" || n.op === "sampleSum" || n.op === "sum";
const isHost = (n: IrNode) => n.op === "unary" && HOST_UNARY.has(n.fn);

/** The kernels of `program`, reading its leaves from `leaves`. */
export function planProgram(program: IrProgram, leaves: LeafPlaces, options: PlanOptions): ProgramPlan {
  const fn = "planProgram";
  const nodes = program.nodes;
  const count = program.sampleCount;
  const lanes = lanesFor(count, options.width ?? 2);

  // Derivatives formed from their primal's value (only from a primal computed earlier).
  const primalOf = nodes.map((n, i) => {
    if (n.op !== "unary" || PRIMAL[n.fn] === undefined) return -1;
    for (let p = 0; p < i; p++) {
      const q = nodes[p]!;
      if (q.op === "unary" && q.fn === PRIMAL[n.fn] && q.a === n.a) return p;
    }
    return -1;
  });
  const ops = (i: number) => (primalOf[i]! >= 0 ? [primalOf[i]!] : operands(nodes[i]!));

  const uses = nodes.map(() => 0);
  const consumer = nodes.map(() => -1);
  nodes.forEach((_, c) => {
    for (const a of ops(c)) {
      uses[a]!++;
      consumer[a] = c;
    }
  });
  const outputUses = nodes.map(() => 0);
  for (const o of program.outputs) outputUses[o]!++;

  // Classes, consumers first; `body`: inlined into a reduction's term.
  const cls: NodeClass[] = nodes.map(() => "dead");
  const body = nodes.map(() => false);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (isLeaf(n)) {
      cls[i] = "leaf";
      continue;
    }
    if (uses[i] === 0 && outputUses[i] === 0) continue;
    if (n.op === "transpose") {
      cls[i] = "view";
      continue;
    }
    if (n.op === "sampleSum" && !nodes[n.a]!.type.perSample) {
      throw new InvalidArgumentError(
        fn,
        `node %${i} (sampleSum)`,
        "an operand with a sample axis",
        `%${n.a} without one`,
      );
    }
    cls[i] = "root";
    if ((isHost(n) && primalOf[i]! < 0) || n.op === "diag" || outputUses[i]! > 0 || uses[i] !== 1) continue;
    const c = consumer[i]!;
    const cn = nodes[c]!;
    if (cls[c] === "view" || cn.op === "matmul" || cn.op === "diag" || (isHost(cn) && primalOf[c]! < 0))
      continue;
    if (cn.op === "unary" || cn.op === "binary") {
      const inBody = cls[c] === "inline" && body[c]!;
      if (!sameType(n.type, cn.type) || (isReduction(n) && inBody)) continue;
      cls[i] = "inline";
      body[i] = inBody;
    } else if (cn.op === "sampleSum" || cn.op === "sum") {
      if (isReduction(n)) continue;
      if (cn.op === "sampleSum" && !sameType(n.type, { ...cn.type, perSample: true })) continue;
      cls[i] = "inline";
      body[i] = true;
    }
  }

  // The stored node an inlined node is computed in.
  const rootOf = (i: number): number => (cls[i] === "inline" ? rootOf(consumer[i]!) : i);

  // Outputs written in place: nothing after their kernel reads the state, and their own
  // kernel reads it only elementwise at the entry it writes.
  const inPlace = new Set<number>();
  if (options.stateOutputs) {
    program.outputs.forEach((o, k) => {
      const n = nodes[o]!;
      if (cls[o] !== "root" || outputUses[o] !== 1 || isHost(n) || n.op === "diag" || n.type.perSample)
        return;
      const leaf = nodes.findIndex((x) => x.op === "state" && x.index === k);
      if (leaf >= 0 && readsOnlyBefore(leaf, o)) inPlace.add(o);
    });
  }
  function readsOnlyBefore(leaf: number, o: number): boolean {
    const readers = (v: number, direct: boolean): boolean =>
      nodes.every((c, ci) => {
        if (!ops(ci).includes(v) || (cls[ci] === "dead" && outputUses[ci] === 0)) return true;
        if (cls[ci] === "view") return readers(ci, false);
        const r = rootOf(ci);
        if (r < o) return true;
        if (r > o) return false;
        // Within o's own kernel: an elementwise read at the written entry only.
        return direct && (c.op === "unary" || c.op === "binary") && (ci === o || !body[ci]);
      });
    // A state that is itself an output (or a transpose of one) is read by the copy that writes it, last.
    const base = (x: number): number =>
      nodes[x]!.op === "transpose" ? base((nodes[x] as { a: number }).a) : x;
    return readers(leaf, true) && !program.outputs.some((x) => base(x) === leaf);
  }

  // Buffers and views.
  const scratch: BufferRef[] = [];
  const newBuffer = (name: string, entries: number): BufferRef => {
    const b = { name: `${options.prefix}${name}`, entries };
    scratch.push(b);
    return b;
  };
  const stored = new Map<number, View>();
  const entriesOf = (t: IrType) => t.rows * t.cols * (t.perSample ? lanes : 1);
  const viewOf = (i: number): View => {
    const n = nodes[i]!;
    switch (n.op) {
      case "state":
        return canonicalView(leaves.states[n.index]!, n.type.rows, n.type.cols, false, lanes);
      case "fixed":
        return canonicalView(leaves.fixed[n.index]!, n.type.rows, n.type.cols, false, lanes);
      case "param":
        return canonicalView(leaves.params, 1, 1, false, lanes, n.index);
      case "data":
        return canonicalView(leaves.data[n.index]!, n.type.rows, n.type.cols, true, lanes);
      case "constant":
        return constantView(n.value);
      case "transpose":
        return transposeView(viewOf(n.a));
      default: {
        const v = stored.get(i);
        if (!v) throw new InvalidArgumentError(fn, `node %${i}`, "a value computed before its use", "none");
        return v;
      }
    }
  };

  const kernels: Kernel[] = [];
  const load = (i: number, axes: AxisMap): Expr => ({ kind: "load", view: viewOf(i), axes });

  for (let i = 0; i < nodes.length; i++) {
    if (cls[i] !== "root") continue;
    const n = nodes[i]!;
    const t = n.type;
    const domain: Domain = {
      rows: t.rows,
      cols: t.cols,
      perSample: t.perSample,
      lanes: t.perSample ? lanes : 1,
    };
    const out =
      options.stateOutputs && inPlace.has(i)
        ? canonicalView(leaves.states[program.outputs.indexOf(i)]!, t.rows, t.cols, false, lanes)
        : canonicalView(newBuffer(`n${i}`, entriesOf(t)), t.rows, t.cols, t.perSample, lanes);
    if (isHost(n) && primalOf[i]! < 0) {
      const a = (n as IrNode & { op: "unary" }).a;
      let src = viewOf(a);
      if (!isContiguous(src, nodes[a]!.type, lanes)) {
        // A constant or a transposed view: copied to a buffer of its own first.
        const copy = canonicalView(newBuffer(`n${i}src`, entriesOf(t)), t.rows, t.cols, t.perSample, lanes);
        kernels.push(
          packed(
            {
              kind: "compute",
              label: `%${i} operand`,
              domain,
              expr: load(a, DOMAIN_AXES),
              out: copy,
              norm: false,
            },
            kernels,
            newBuffer,
            count,
          ),
        );
        src = copy;
      }
      kernels.push({
        kind: "host",
        label: `%${i} = ${(n as { fn: string }).fn}`,
        fn: (n as { fn: HostUnary }).fn,
        src,
        out,
        entries: entriesOf(t),
      });
    } else if (n.op === "diag") {
      kernels.push({ kind: "diag", label: `%${i} = diag`, n: t.rows, domain, src: viewOf(n.a), out });
    } else {
      let reductions = 0;
      const expand = (k: number, axes: AxisMap, top: boolean): Expr => {
        if (!top && cls[k] !== "inline") return load(k, axes);
        const m = nodes[k]!;
        const p = primalOf[k]!;
        if (p >= 0) {
          const v = () => load(p, axes);
          const one: Expr = { kind: "load", view: constantView(1), axes };
          if (m.op === "unary" && m.fn === "tanh'")
            return { kind: "binary", fn: "sub", a: one, b: { kind: "binary", fn: "mul", a: v(), b: v() } };
          if (m.op === "unary" && m.fn === "sigmoid'")
            return { kind: "binary", fn: "mul", a: v(), b: { kind: "binary", fn: "sub", a: one, b: v() } };
          return v();
        }
        switch (m.op) {
          case "unary":
            return {
              kind: "unary",
              fn: m.fn as ArithmeticUnary,
              exponent: m.exponent ?? 1,
              a: expand(m.a, axes, false),
            };
          case "binary":
            return { kind: "binary", fn: m.fn, a: expand(m.a, axes, false), b: expand(m.b, axes, false) };
          case "matmul": {
            const r: Axis = `t${reductions++}`;
            const inner = nodes[m.a]!.type.cols;
            return {
              kind: "reduce",
              levels: [{ axis: r, extent: inner }],
              term: {
                kind: "binary",
                fn: "mul",
                a: load(m.a, { row: axes.row, col: r, sample: axes.sample }),
                b: load(m.b, { row: r, col: axes.col, sample: axes.sample }),
              },
            };
          }
          case "sampleSum": {
            const r: Axis = `s${reductions++}`;
            return {
              kind: "reduce",
              levels: [{ axis: r, extent: count }],
              term: expand(m.a, { ...axes, sample: r }, false),
            };
          }
          case "sum": {
            const q = reductions++;
            const ta = nodes[m.a]!.type;
            return {
              kind: "reduce",
              levels: [
                { axis: `ri${q}`, extent: ta.rows },
                { axis: `rj${q}`, extent: ta.cols },
              ],
              term: expand(m.a, { row: `ri${q}`, col: `rj${q}`, sample: axes.sample }, false),
            };
          }
          default:
            return load(k, axes);
        }
      };
      const expr = expand(i, DOMAIN_AXES, true);
      kernels.push(
        packed(
          { kind: "compute", label: `%${i} = ${n.op}`, domain, expr, out, norm: false },
          kernels,
          newBuffer,
          count,
        ),
      );
    }
    stored.set(i, out);
  }

  const outputs: PlannedOutput[] = program.outputs.map((o, k) => {
    const view = viewOf(o);
    if (!options.stateOutputs) return { view, normKernel: -1, inPlace: false };
    const t = nodes[o]!.type;
    if (t.perSample)
      throw new InvalidArgumentError(
        fn,
        `output ${k}`,
        "a value without sample axis (a new state)",
        `%${o} per sample`,
      );
    const own = kernels.findIndex((q) => q.kind === "compute" && q.out === view);
    const alone = outputUses[o] === 1 && cls[o] === "root";
    if (own >= 0 && alone && kernels[own]!.kind === "compute") {
      kernels[own] = { ...(kernels[own] as Kernel & { kind: "compute" }), norm: true };
      return { view, normKernel: own, inPlace: inPlace.has(o) };
    }
    // A leaf, a view, a host or diag result, or a value that is several outputs: copied, with its norm.
    const domain: Domain = { rows: t.rows, cols: t.cols, perSample: false, lanes: 1 };
    const out = canonicalView(newBuffer(`out${k}`, t.rows * t.cols), t.rows, t.cols, false, lanes);
    kernels.push(
      packed(
        {
          kind: "compute",
          label: `output ${k}`,
          domain,
          expr: { kind: "load", view, axes: DOMAIN_AXES },
          out,
          norm: true,
        },
        kernels,
        newBuffer,
        count,
      ),
    );
    return { view: out, normKernel: kernels.length - 1, inPlace: false };
  });

  return { kernels, scratch, outputs, lanes };
}

/** Whether a view reads its value contiguously in the canonical layout of its type. */
function isContiguous(v: View, t: IrType, lanes: number): boolean {
  if (v.buffer === null) return false;
  const c = canonicalView(v.buffer, t.rows, t.cols, t.perSample, lanes, v.offset);
  const same = (a: number, b: number, extent: number) => extent === 1 || a === b;
  return (
    same(v.rowStride, c.rowStride, t.rows) &&
    same(v.colStride, c.colStride, t.cols) &&
    (!t.perSample || v.sampleStride === 1)
  );
}

/**
 * The kernel with every load that its loop would read with a stride along the vector axis, more
 * than once per entry, replaced by a contiguous copy (a pack kernel pushed onto `kernels` first).
 */
function packed(
  kernel: Kernel & { kind: "compute" },
  kernels: Kernel[],
  newBuffer: (name: string, entries: number) => BufferRef,
  count: number,
): Kernel {
  const vec = vectorAxis(kernel.domain).axis;
  if (vec === null) return kernel;
  const outer = outerAxes(kernel.domain);
  const packs = new Map<View, View>();
  const visit = (e: Expr, levels: readonly { axis: Axis; extent: number }[]): Expr => {
    switch (e.kind) {
      case "load": {
        const strides = axisStrides(e.view, e.axes);
        const sv = strides.get(vec) ?? 0;
        if (sv === 0 || sv === 1 || e.view.buffer === null) return e;
        const reread = [...outer, ...levels].some((a) => a.extent > 1 && (strides.get(a.axis) ?? 0) === 0);
        if (!reread) return e;
        const unit = e.axes.row === vec ? "row" : "col";
        let view = packs.get(e.view);
        if (!view) {
          const v = e.view;
          const samples = v.perSample ? count : 1;
          const out: View = {
            buffer: newBuffer(`pack${kernels.length}_${packs.size}`, samples * v.rows * v.cols),
            offset: 0,
            rows: v.rows,
            cols: v.cols,
            perSample: v.perSample,
            rowStride: unit === "row" ? 1 : v.cols,
            colStride: unit === "row" ? v.rows : 1,
            sampleStride: v.perSample ? v.rows * v.cols : 0,
          };
          kernels.push({ kind: "pack", label: `pack for ${kernel.label}`, src: v, out, count: samples });
          packs.set(e.view, out);
          view = out;
        }
        return { ...e, view };
      }
      case "unary":
        return { ...e, a: visit(e.a, levels) };
      case "binary":
        return { ...e, a: visit(e.a, levels), b: visit(e.b, levels) };
      case "reduce":
        return { ...e, term: visit(e.term, [...levels, ...e.levels]) };
    }
  };
  return { ...kernel, expr: visit(kernel.expr, []) };
}

/**
 * The CPU backend: float64, row-major Float64Array storage, plain loops. It is the readable
 * reference that defines what every kernel of src/backend/backend.ts computes.
 */
import { InvalidArgumentError, requireOneOf } from "../util/errors.ts";
import type {
  Backend,
  BinaryMap,
  NetworkBatch,
  NetworkInit,
  Reduction,
  StudentTeacherBatch,
  StudentTeacherInit,
  Tensor,
  UnaryMap,
} from "./backend.ts";
import { CpuNetworkBatch } from "./cpu-network.ts";
import { CpuStudentTeacherBatch } from "./cpu-student-teacher.ts";
import { requireLength, shapeSize } from "./validate.ts";

/** A CPU tensor: a shape and its row-major float64 data. */
export class CpuTensor implements Tensor {
  readonly backend = "cpu";
  constructor(
    readonly shape: readonly number[],
    readonly data: Float64Array,
  ) {}
}

const unary: Record<UnaryMap, (x: number) => number> = {
  linear: (x) => x,
  tanh: Math.tanh,
  relu: (x) => (x > 0 ? x : 0),
  linearPrime: () => 1,
  tanhPrime: (x) => {
    const t = Math.tanh(x);
    return 1 - t * t;
  },
  reluPrime: (x) => (x > 0 ? 1 : 0),
  square: (x) => x * x,
  negate: (x) => -x,
};

const binary: Record<BinaryMap, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
};

function own(fn: string, argument: string, x: Tensor): CpuTensor {
  if (!(x instanceof CpuTensor)) {
    throw new InvalidArgumentError(fn, argument, "a tensor of the cpu backend", x.backend);
  }
  return x;
}

/** [B, r, c] of a tensor; rank 1 and 2 are read as a batch of one. */
function asBatch(shape: readonly number[]): [number, number, number] {
  if (shape.length === 3) return [shape[0]!, shape[1]!, shape[2]!];
  if (shape.length === 2) return [1, shape[0]!, shape[1]!];
  return [1, 1, shape[0]!];
}

/** The float64 CPU backend. */
export class CpuBackend implements Backend {
  readonly name: string = "cpu";
  readonly dtype: "float64" | "float32" = "float64";

  tensor(data: Float64Array, shape: readonly number[]): Tensor {
    requireLength("CpuBackend.tensor", "data", data, shapeSize("CpuBackend.tensor", "shape", shape));
    return new CpuTensor([...shape], Float64Array.from(data));
  }

  async read(x: Tensor): Promise<Float64Array> {
    return Float64Array.from(own("CpuBackend.read", "x", x).data);
  }

  dispose(_x: Tensor): void {
    // Storage is garbage collected.
  }

  matmul(a: Tensor, b: Tensor, options: { transposeA?: boolean; transposeB?: boolean } = {}): Tensor {
    const fn = "CpuBackend.matmul";
    const A = own(fn, "a", a);
    const Bt = own(fn, "b", b);
    if (A.shape.length !== 3 || Bt.shape.length !== 3) {
      throw new InvalidArgumentError(fn, "a, b", "rank-3 tensors [batch, rows, columns]", [
        A.shape,
        Bt.shape,
      ]);
    }
    const [ba, ra, ca] = asBatch(A.shape);
    const [bb, rb, cb] = asBatch(Bt.shape);
    const tA = options.transposeA === true;
    const tB = options.transposeB === true;
    const m = tA ? ca : ra;
    const k = tA ? ra : ca;
    const kb = tB ? cb : rb;
    const n = tB ? rb : cb;
    if (k !== kb) {
      throw new InvalidArgumentError(
        fn,
        "b",
        `an inner dimension of ${k} to match a`,
        kb,
        `shapes ${A.shape} and ${Bt.shape}`,
      );
    }
    if (ba !== bb && ba !== 1 && bb !== 1) {
      throw new InvalidArgumentError(fn, "b", `a batch of ${ba} or 1`, bb);
    }
    const batch = Math.max(ba, bb);
    const out = new Float64Array(batch * m * n);
    // Strides of op(A)[i, l] and op(B)[l, j] in the stored layouts.
    const [ai, al] = tA ? [1, ca] : [ca, 1];
    const [bl, bj] = tB ? [1, cb] : [cb, 1];
    // i-l-j order: the inner loop runs along a row of the output (and of B when not transposed);
    // each entry is still the sum over l in increasing order.
    for (let s = 0; s < batch; s++) {
      const oa = (ba === 1 ? 0 : s) * ra * ca;
      const ob = (bb === 1 ? 0 : s) * rb * cb;
      for (let i = 0; i < m; i++) {
        const oc = (s * m + i) * n;
        for (let l = 0; l < k; l++) {
          const x = A.data[oa + i * ai + l * al]!;
          const br = ob + l * bl;
          for (let j = 0; j < n; j++) out[oc + j]! += x * Bt.data[br + j * bj]!;
        }
      }
    }
    return new CpuTensor([batch, m, n], out);
  }

  map(x: Tensor, f: UnaryMap): Tensor {
    const X = own("CpuBackend.map", "x", x);
    const g = unary[f];
    if (g === undefined)
      throw new InvalidArgumentError("CpuBackend.map", "f", `one of ${Object.keys(unary).join(", ")}`, f);
    return new CpuTensor(X.shape, X.data.map(g));
  }

  combine(a: Tensor, b: Tensor, op: BinaryMap): Tensor {
    const fn = "CpuBackend.combine";
    const A = own(fn, "a", a);
    const B = own(fn, "b", b);
    if (A.shape.length !== B.shape.length || A.shape.some((d, i) => d !== B.shape[i])) {
      throw new InvalidArgumentError(fn, "b", `a tensor of shape [${A.shape}]`, `shape [${B.shape}]`);
    }
    const g = binary[op];
    if (g === undefined)
      throw new InvalidArgumentError(fn, "op", `one of ${Object.keys(binary).join(", ")}`, op);
    return new CpuTensor(
      A.shape,
      A.data.map((v, i) => g(v, B.data[i]!)),
    );
  }

  scale(x: Tensor, alpha: number): Tensor {
    const X = own("CpuBackend.scale", "x", x);
    return new CpuTensor(
      X.shape,
      X.data.map((v) => alpha * v),
    );
  }

  reduce(x: Tensor, op: Reduction): Tensor {
    const X = own("CpuBackend.reduce", "x", x);
    requireOneOf("CpuBackend.reduce", "op", op, ["sum", "sumOfSquares", "max"]);
    const n = X.shape[X.shape.length - 1]!;
    const rows = X.data.length / n;
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let acc = op === "max" ? Number.NEGATIVE_INFINITY : 0;
      for (let j = r * n; j < (r + 1) * n; j++) {
        const v = X.data[j]!;
        if (op === "sum") acc += v;
        else if (op === "sumOfSquares") acc += v * v;
        else acc = Math.max(acc, v);
      }
      out[r] = acc;
    }
    return new CpuTensor(X.shape.length === 1 ? [1] : X.shape.slice(0, -1), out);
  }

  studentTeacher(init: StudentTeacherInit): StudentTeacherBatch {
    return new CpuStudentTeacherBatch(init);
  }

  network(init: NetworkInit): NetworkBatch {
    return new CpuNetworkBatch(init);
  }
}

/** A new CPU backend. */
export function cpuBackend(): CpuBackend {
  return new CpuBackend();
}

/**
 * The conformance suite every backend must pass (src/backend/backend.ts). A backend's test file
 * calls {@link backendConformance} with a factory and a tolerance derived from its precision:
 *
 *   backendConformance("cpu", () => cpuBackend(), { relative: 1e-11 });
 *
 * Every check compares with host float64 arithmetic written independently of any backend
 * (naive loops here and in reference-student-teacher.ts). A comparison passes when
 * max |x - ref| <= relative * max(1, max |ref|).
 */
import { describe, expect, it } from "vitest";
import type {
  Activation,
  Backend,
  FeedbackKind,
  StudentTeacherInit,
  UnaryMap,
} from "../../src/backend/backend.ts";
import { LearndynError } from "../../src/util/errors.ts";
import { Rng } from "../../src/util/random.ts";
import { referenceAdvance, referenceError, referenceMember } from "./reference-student-teacher.ts";

export interface ConformanceTolerance {
  /** Relative tolerance of every comparison (see the file comment). */
  relative: number;
}

/** Asserts max |actual - expected| <= relative * max(1, max |expected|). */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  relative: number,
  what = "",
) {
  expect(actual.length, `${what} length`).toBe(expected.length);
  let scale = 1;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  }
  expect(worst, `${what}: max abs difference ${worst} vs bound ${relative * scale}`).toBeLessThanOrEqual(
    relative * scale,
  );
}

/** A small random student-teacher batch: data, weights and signs drawn on the host in float64. */
export function randomStudentTeacherInit(
  seed: number,
  options: {
    size?: number;
    inputs?: number;
    hidden?: number;
    trainCount?: number;
    testCount?: number;
    batchSize?: number;
    activation?: Activation;
    feedback?: FeedbackKind;
    learningRate?: number;
    renormalize?: boolean;
  } = {},
): StudentTeacherInit {
  const rng = new Rng(seed);
  const B = options.size ?? 3;
  const M = options.inputs ?? 7;
  const N = options.hidden ?? 5;
  const P = options.trainCount ?? 20;
  const Q = options.testCount ?? 8;
  const signs = (n: number) => Float64Array.from({ length: n }, () => (rng.uniform() < 0.3 ? -1 : 1));
  const shuffleSeeds = new Uint32Array(B);
  for (let b = 0; b < B; b++) shuffleSeeds[b] = rng.nextUint32();
  return {
    size: B,
    inputs: M,
    hidden: N,
    activation: options.activation ?? "tanh",
    trainInputs: rng.normals(B * P * M, 0, Math.SQRT1_2),
    trainTargets: rng.normals(B * P),
    testInputs: rng.normals(B * Q * M, 0, Math.SQRT1_2),
    testTargets: rng.normals(B * Q),
    trainCount: P,
    testCount: Q,
    w1: rng.normals(B * N * M, 0, 1 / Math.sqrt(M)),
    w2: rng.normals(B * N, 0, 1 / Math.sqrt(N)),
    d1: signs(B * M),
    d2: signs(B * N),
    feedback: options.feedback ?? "readout",
    feedbackWeights: rng.normals(B * N, 0, 1 / Math.sqrt(N)),
    learningRate: options.learningRate ?? 0.5,
    batchSize: options.batchSize ?? 4,
    shuffleSeeds,
    renormalize: options.renormalize ?? true,
  };
}

function naiveMatmul(
  a: Float64Array,
  aShape: number[],
  b: Float64Array,
  bShape: number[],
  tA: boolean,
  tB: boolean,
): { data: Float64Array; shape: number[] } {
  const [ba, ra, ca] = aShape as [number, number, number];
  const [bb, rb, cb] = bShape as [number, number, number];
  const m = tA ? ca : ra;
  const k = tA ? ra : ca;
  const n = tB ? rb : cb;
  const batch = Math.max(ba, bb);
  const out = new Float64Array(batch * m * n);
  for (let s = 0; s < batch; s++) {
    const oa = (ba === 1 ? 0 : s) * ra * ca;
    const ob = (bb === 1 ? 0 : s) * rb * cb;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let l = 0; l < k; l++) {
          const av = tA ? a[oa + l * ca + i]! : a[oa + i * ca + l]!;
          const bv = tB ? b[ob + j * cb + l]! : b[ob + l * cb + j]!;
          sum += av * bv;
        }
        out[s * m * n + i * n + j] = sum;
      }
  }
  return { data: out, shape: [batch, m, n] };
}

const unaryReference: Record<UnaryMap, (x: number) => number> = {
  linear: (x) => x,
  tanh: Math.tanh,
  relu: (x) => (x > 0 ? x : 0),
  linearPrime: () => 1,
  tanhPrime: (x) => 1 - Math.tanh(x) ** 2,
  reluPrime: (x) => (x > 0 ? 1 : 0),
  square: (x) => x * x,
  negate: (x) => -x,
};

/** Registers the conformance tests of one backend with vitest. */
export function backendConformance(
  name: string,
  makeBackend: () => Backend | Promise<Backend>,
  tol: ConformanceTolerance,
) {
  const rel = tol.relative;
  describe(`backend conformance: ${name}`, () => {
    it("round-trips tensors and refuses a shape that does not match the data", async () => {
      const be = await makeBackend();
      const data = new Rng(1).normals(24);
      const t = be.tensor(data, [2, 3, 4]);
      expect(t.shape).toEqual([2, 3, 4]);
      expectClose(await be.read(t), data, rel, "round trip");
      expect(() => be.tensor(data, [2, 3, 5])).toThrow(LearndynError);
      be.dispose(t);
    });

    it("multiplies batched matrices with transposes and batch broadcasting", async () => {
      const be = await makeBackend();
      const rng = new Rng(2);
      const cases: Array<[number[], number[], boolean, boolean]> = [
        [[3, 4, 5], [3, 5, 2], false, false],
        [[3, 5, 4], [3, 5, 2], true, false],
        [[3, 4, 5], [3, 2, 5], false, true],
        [[1, 4, 5], [3, 5, 6], false, false],
        [[2, 6, 3], [1, 3, 1], false, false],
        [[2, 7, 33], [2, 33, 9], false, false],
      ];
      for (const [sa, sb, tA, tB] of cases) {
        const a = rng.normals(sa.reduce((x, y) => x * y));
        const b = rng.normals(sb.reduce((x, y) => x * y));
        const c = be.matmul(be.tensor(a, sa), be.tensor(b, sb), { transposeA: tA, transposeB: tB });
        const ref = naiveMatmul(a, sa, b, sb, tA, tB);
        expect(c.shape).toEqual(ref.shape);
        expectClose(await be.read(c), ref.data, rel, `matmul ${sa} x ${sb}`);
      }
      expect(() =>
        be.matmul(be.tensor(new Float64Array(6), [1, 2, 3]), be.tensor(new Float64Array(6), [1, 2, 3])),
      ).toThrow(LearndynError);
    });

    it("applies elementwise maps, combinations, scaling and reductions", async () => {
      const be = await makeBackend();
      const x = new Rng(3).normals(30, 0, 2);
      x[0] = 0; // the derivative of relu at 0 is specified as 0
      const y = new Rng(4).normals(30);
      const tx = be.tensor(x, [2, 3, 5]);
      const ty = be.tensor(y, [2, 3, 5]);
      for (const f of Object.keys(unaryReference) as UnaryMap[]) {
        expectClose(await be.read(be.map(tx, f)), Array.from(x, unaryReference[f]), rel, f);
      }
      expectClose(
        await be.read(be.combine(tx, ty, "add")),
        Array.from(x, (v, i) => v + y[i]!),
        rel,
        "add",
      );
      expectClose(
        await be.read(be.combine(tx, ty, "subtract")),
        Array.from(x, (v, i) => v - y[i]!),
        rel,
        "sub",
      );
      expectClose(
        await be.read(be.combine(tx, ty, "multiply")),
        Array.from(x, (v, i) => v * y[i]!),
        rel,
        "mul",
      );
      expectClose(
        await be.read(be.scale(tx, -0.75)),
        Array.from(x, (v) => -0.75 * v),
        rel,
        "scale",
      );
      const rows = Array.from({ length: 6 }, (_, r) => Array.from(x.subarray(r * 5, r * 5 + 5)));
      const sum = be.reduce(tx, "sum");
      expect(sum.shape).toEqual([2, 3]);
      expectClose(
        await be.read(sum),
        rows.map((r) => r.reduce((s, v) => s + v, 0)),
        rel,
        "sum",
      );
      expectClose(
        await be.read(be.reduce(tx, "sumOfSquares")),
        rows.map((r) => r.reduce((s, v) => s + v * v, 0)),
        rel,
        "sumsq",
      );
      expectClose(
        await be.read(be.reduce(tx, "max")),
        rows.map((r) => Math.max(...r)),
        rel,
        "max",
      );
      expect(be.reduce(be.tensor(x.subarray(0, 4), [4]), "sum").shape).toEqual([1]);
      expect(() => be.combine(tx, be.tensor(y.subarray(0, 6), [6]), "add")).toThrow(LearndynError);
    });

    const variants: Array<{ activation: Activation; feedback: FeedbackKind; batchSize: number }> = [
      { activation: "linear", feedback: "readout", batchSize: 4 },
      { activation: "tanh", feedback: "readout", batchSize: 4 },
      { activation: "relu", feedback: "readout", batchSize: 4 },
      { activation: "tanh", feedback: "fixed", batchSize: 4 },
      { activation: "tanh", feedback: "readout", batchSize: 20 },
      { activation: "relu", feedback: "fixed", batchSize: 1 },
    ];
    for (const [k, v] of variants.entries()) {
      it(`runs the fused student-teacher update as specified (${v.activation}, ${v.feedback}, batch ${v.batchSize})`, async () => {
        const be = await makeBackend();
        const init = randomStudentTeacherInit(100 + k, v);
        const batch = be.studentTeacher(init);
        const members = Array.from({ length: init.size }, (_, b) => referenceMember(init, b));
        const e0 = await batch.errors();
        expectClose(
          e0.train,
          members.map((m, b) => referenceError(init, m, b, "train")),
          rel,
          "initial train error",
        );
        expectClose(
          e0.test,
          members.map((m, b) => referenceError(init, m, b, "test")),
          rel,
          "initial test error",
        );
        batch.advance(1);
        batch.advance(2);
        expect(batch.epoch).toBe(3);
        for (const [b, m] of members.entries()) referenceAdvance(init, m, b, 0, 3);
        const w = await batch.readWeights();
        expectClose(
          w.w1,
          members.flatMap((m) => m.w1.flat()),
          rel,
          "W1 after 3 epochs",
        );
        expectClose(
          w.w2,
          members.flatMap((m) => m.w2),
          rel,
          "W2 after 3 epochs",
        );
        const e3 = await batch.errors();
        expectClose(
          e3.train,
          members.map((m, b) => referenceError(init, m, b, "train")),
          rel,
          "train error",
        );
        expectClose(
          e3.test,
          members.map((m, b) => referenceError(init, m, b, "test")),
          rel,
          "test error",
        );
        expect(Array.from(await batch.failures())).toEqual([-1, -1, -1]);
        batch.dispose();
      });
    }

    it("keeps each layer at its initial Frobenius norm, or at the given target norms", async () => {
      const be = await makeBackend();
      const init = randomStudentTeacherInit(7, { learningRate: 2 });
      init.norm1 = Float64Array.from([1, 2, 3]);
      init.norm2 = Float64Array.from([0.5, 1, 1.5]);
      const batch = be.studentTeacher(init);
      batch.advance(2);
      const { w1, w2 } = await batch.readWeights();
      const M = init.inputs;
      const N = init.hidden;
      const n1 = [0, 1, 2].map((b) => Math.hypot(...w1.subarray(b * N * M, (b + 1) * N * M)));
      const n2 = [0, 1, 2].map((b) => Math.hypot(...w2.subarray(b * N, (b + 1) * N)));
      expectClose(n1, [1, 2, 3], rel, "norm W1");
      expectClose(n2, [0.5, 1, 1.5], rel, "norm W2");
      batch.dispose();
    });

    it("continues from weights written by the host", async () => {
      const be = await makeBackend();
      const init = randomStudentTeacherInit(8);
      const batch = be.studentTeacher(init);
      batch.advance(1);
      const other = randomStudentTeacherInit(9);
      batch.writeWeights(other.w1, other.w2);
      const back = await batch.readWeights();
      expectClose(back.w1, other.w1, rel, "written W1");
      batch.advance(1);
      const members = Array.from({ length: 3 }, (_, b) => {
        const m = referenceMember(other, b);
        const n1 = Math.hypot(...init.w1.subarray(b * 35, (b + 1) * 35));
        const n2 = Math.hypot(...init.w2.subarray(b * 5, (b + 1) * 5));
        referenceAdvance(init, m, b, 1, 1, n1, n2);
        return m;
      });
      expectClose(
        (await batch.readWeights()).w1,
        members.flatMap((m) => m.w1.flat()),
        rel,
        "W1 after write",
      );
      batch.dispose();
    });

    it("reports a diverging member with its epoch while the others go on", async () => {
      const be = await makeBackend();
      // Without renormalization, member 1 starts at a 10^30 times larger scale, so its error
      // (~10^60) and its updates overflow within a few steps of epoch 0 in float32 and float64
      // alike; the other members stay small and must be unaffected.
      const init = randomStudentTeacherInit(10, {
        activation: "linear",
        renormalize: false,
        learningRate: 0.05,
      });
      const M = init.inputs;
      const N = init.hidden;
      for (let i = N * M; i < 2 * N * M; i++) init.w1[i]! *= 1e30;
      for (let i = N; i < 2 * N; i++) init.w2[i]! *= 1e30;
      const batch = be.studentTeacher(init);
      batch.advance(30);
      const members = Array.from({ length: 3 }, (_, b) => referenceMember(init, b));
      for (const [b, m] of members.entries()) referenceAdvance(init, m, b, 0, 30);
      const failures = Array.from(await batch.failures());
      expect(members[1]!.failedAt).toBe(0);
      expect(failures).toEqual(members.map((m) => m.failedAt));
      const e = await batch.errors();
      expect(Number.isNaN(e.train[1]!)).toBe(true);
      const w = await batch.readWeights();
      for (const b of [0, 2]) {
        expectClose(
          w.w1.subarray(b * N * M, (b + 1) * N * M),
          members[b]!.w1.flat(),
          rel,
          `W1 of member ${b}`,
        );
      }
      expectClose(
        [e.train[0]!, e.train[2]!],
        [0, 2].map((b) => referenceError(init, members[b]!, b, "train")),
        rel,
      );
      batch.dispose();
    });

    it("refuses malformed batches with errors that name the argument", async () => {
      const be = await makeBackend();
      const good = randomStudentTeacherInit(11);
      expect(() => be.studentTeacher({ ...good, w1: new Float64Array(3) })).toThrow(/w1/);
      expect(() => be.studentTeacher({ ...good, batchSize: 3 })).toThrow(/batchSize/);
      expect(() => be.studentTeacher({ ...good, d1: new Float64Array(good.d1.length).fill(0.5) })).toThrow(
        /d1/,
      );
      expect(() => be.studentTeacher({ ...good, feedback: "fixed", feedbackWeights: undefined })).toThrow(
        /feedbackWeights/,
      );
      expect(() => be.studentTeacher({ ...good, learningRate: -1 })).toThrow(/learningRate/);
      expect(() => be.studentTeacher({ ...good, activation: "sigmoid" as Activation })).toThrow(/activation/);
    });
  });
}

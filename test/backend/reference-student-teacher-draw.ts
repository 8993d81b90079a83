/**
 * The draws of one student-teacher simulation of seed 001 section 5, transcribed by hand from
 * the protocol (teacher and student weights of variance 1/fan-in, normal or uniform, times a
 * scale; inputs N(0, 1/2); D1, D2 flipping round(alpha n) columns; a fixed feedback B of
 * variance 1/N), each ingredient from its own stream of the seed: 1 teacher, 2 inputs, 3
 * student, 4 signs, 5 feedback, 6 the minibatch order's seed. It shares no code with the rule
 * files' draws (src/ir/draw.ts), which must reproduce it bit for bit.
 */
import type { StudentTeacherMember, StudentTeacherSpec } from "../../src/sim/student-teacher.ts";
import { Rng } from "../../src/util/random.ts";

/** `count` weights with zero mean and variance scale^2 / fanIn. */
function weights(rng: Rng, count: number, fanIn: number, distribution: "normal" | "uniform", scale: number) {
  const out = new Float64Array(count);
  const sd = scale / Math.sqrt(fanIn);
  for (let i = 0; i < count; i++) {
    out[i] = distribution === "normal" ? sd * rng.normal() : sd * Math.sqrt(3) * (2 * rng.uniform() - 1);
  }
  return out;
}

/** Signs +1 with round(alpha n) entries -1 at random positions. */
function flips(rng: Rng, n: number, alpha: number): Float64Array {
  const d = new Float64Array(n).fill(1);
  const order = rng.permutation(n);
  for (let k = 0; k < Math.round(alpha * n); k++) d[order[k]!] = -1;
  return d;
}

function phi(activation: string, a: number): number {
  if (activation === "tanh") return Math.tanh(a);
  if (activation === "relu") return a > 0 ? a : 0;
  return a;
}

/** The member of `spec` as seed 001 section 5 describes it (see the module comment). */
export function referenceDrawMember(spec: StudentTeacherSpec): StudentTeacherMember {
  const { inputs: M, hidden: N, trainCount: P, testCount: Q, activation } = spec;
  const root = new Rng(spec.seed);
  const teacherRng = root.fork(1);
  const teacherW1 = weights(teacherRng, N * M, M, spec.weightDistribution, spec.teacherScale);
  const teacherW2 = weights(teacherRng, N, N, spec.weightDistribution, spec.teacherScale);
  const dataRng = root.fork(2);
  const trainInputs = dataRng.normals(P * M, 0, Math.SQRT1_2);
  const testInputs = dataRng.normals(Q * M, 0, Math.SQRT1_2);
  const label = (x: Float64Array, count: number) => {
    const y = new Float64Array(count);
    for (let mu = 0; mu < count; mu++) {
      let s = 0;
      for (let i = 0; i < N; i++) {
        let a = 0;
        for (let j = 0; j < M; j++) a += teacherW1[i * M + j]! * x[mu * M + j]!;
        s += teacherW2[i]! * phi(activation, a);
      }
      y[mu] = s;
    }
    return y;
  };
  const studentRng = root.fork(3);
  const w1 = weights(studentRng, N * M, M, spec.weightDistribution, spec.initScale);
  const w2 = weights(studentRng, N, N, spec.weightDistribution, spec.initScale);
  const signRng = root.fork(4);
  const d1 = flips(signRng, M, spec.alphaH);
  const d2 = flips(signRng, N, spec.alphaR);
  const feedbackWeights = weights(root.fork(5), N, N, "normal", 1);
  return {
    teacherW1,
    teacherW2,
    trainInputs,
    trainTargets: label(trainInputs, P),
    testInputs,
    testTargets: label(testInputs, Q),
    w1,
    w2,
    d1,
    d2,
    feedbackWeights,
    shuffleSeed: root.fork(6).nextUint32(),
  };
}

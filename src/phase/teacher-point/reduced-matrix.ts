/**
 * The numeric twin of a teacher-point law (teacher-point-law.ts): X at finite size from one
 * run's drawn tensors, every scalar word at its sampled value rather than its limit, so that
 * spec(X) is exactly the nonzero spectrum of the rule's Jacobian at that run's teacher point
 * (compared in test/phase/teacher-point-law.test.ts with the dense population Jacobian).
 */
import { Matrix } from "ml-matrix";
import { InvalidArgumentError } from "../../util/errors.ts";
import type { Letter } from "./matrix-words.ts";
import type { TeacherPointLaw } from "./teacher-point-law.ts";

/** A drawn tensor: row-major entries (a vector used as a diagonal: its entries). */
export interface DrawnTensor {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

function letterMatrix(l: Letter, law: TeacherPointLaw, tensor: (name: string) => DrawnTensor): Matrix {
  const t = tensor(l.name);
  if (t.rows * t.cols !== t.data.length)
    throw new InvalidArgumentError("reducedMatrix", l.name, `${t.rows * t.cols} entries`, t.data.length);
  if (law.alphabet.get(l.name)?.symmetric) return Matrix.diag(Array.from(t.data));
  const m = Matrix.from1DArray(t.rows, t.cols, Array.from(t.data));
  return l.transposed ? m.transpose() : m;
}

function wordMatrix(
  w: readonly Letter[],
  n: number,
  law: TeacherPointLaw,
  tensor: (name: string) => DrawnTensor,
): Matrix {
  let acc: Matrix | null = null;
  for (const l of w) {
    const m = letterMatrix(l, law, tensor);
    acc = acc ? acc.mmul(m) : m;
  }
  return acc ?? Matrix.eye(n, n);
}

/**
 * X (n × n, n the input's dimension) from the tensors by name and the rule's parameter values.
 */
export function reducedMatrix(
  law: TeacherPointLaw,
  n: number,
  tensor: (name: string) => DrawnTensor,
  params: Readonly<Record<string, number>>,
): Matrix {
  const X = Matrix.zeros(n, n);
  for (const t of law.reduced) {
    const s = t.scalar.length ? wordMatrix(t.scalar, 1, law, tensor).get(0, 0) : 1;
    const k = t.params.reduce((acc, p) => acc * params[p]!, t.coefficient * s);
    X.add(wordMatrix(t.word, n, law, tensor).mul(k));
  }
  return X;
}

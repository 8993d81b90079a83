/**
 * Rightmost eigenvalues of large nonsymmetric operators (src/spectra/arnoldi.ts):
 * 1. the Jacobian of seed 001's curl descent (rules/curl-descent.rule, population field in closed
 *    form) at its initial point and at the teacher point, at M = N = 110 (dimension 12,210) and
 *    M = N = 315 (99,540): time of one J·v, of Arnoldi's rightmost eigenvalue, applications;
 * 2. the same eigensolver against SciPy's ARPACK (eigs, which='LR', same subspace size and
 *    tolerance, one thread) on one sparse random matrix of dimension 12,210 and 99,540, written to
 *    a CSR file both read; ratios of medians.
 * Prints JSON and writes bench/results/arnoldi.json. Run pinned to one core:
 *   taskset -c 1 npx tsx bench/arnoldi.ts [--quick]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { flattenStates } from "../src/analysis/network/field-operator.ts";
import { teacherPoint } from "../src/analysis/network/fixed-points.ts";
import { populationOperator } from "../src/analysis/network/population.ts";
import { resolveParams } from "../src/ir/bind.ts";
import { compileModel, drawRuns } from "../src/ir/model.ts";
import { builtinNetworkRule } from "../src/rules/network/builtin-network-rules.ts";
import { arnoldiEigenvalues } from "../src/spectra/arnoldi.ts";
import { toJson, writeJson } from "../src/util/io.ts";
import { median } from "../src/util/median.ts";
import { Rng } from "../src/util/random.ts";

const quick = process.argv.includes("--quick");
const repeats = quick ? 1 : 3;
const tolerance = 1e-10;

function timed<T>(fn: () => T): { value: T; seconds: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

function networkCase(M: number, N: number, at: "initial" | "teacher") {
  const model = compileModel(builtinNetworkRule("curl-descent"), {
    sizes: { M, N, P: M + 1, Q: 2, S: M + 1 },
  });
  const params = { alphaH: 0.5 };
  const [run] = drawRuns(model, [{ seed: 1, params }]);
  const op = populationOperator(model, run!, resolveParams(model.spec, model.compiled.sizes, params));
  const x = at === "teacher" ? teacherPoint(model, run!)! : flattenStates(run!.states);
  const v = new Rng(2).normals(op.dimension);
  for (let i = 0; i < 3; i++) op.apply(x, v);
  const jvp = median(Array.from({ length: 5 }, () => timed(() => op.apply(x, v)).seconds));
  const runs = Array.from({ length: repeats }, () =>
    timed(() => arnoldiEigenvalues((w) => op.apply(x, w), op.dimension, { count: 1, tolerance })),
  );
  const r = runs[0]!.value;
  return {
    rule: "curl-descent (population field)",
    M,
    N,
    dimension: op.dimension,
    at,
    jvpSeconds: jvp,
    arnoldiSeconds: median(runs.map((t) => t.seconds)),
    applications: r.applications,
    restarts: r.restarts,
    converged: r.converged,
    rightmost: r.values[0],
  };
}

/** A sparse matrix with about 10 entries per row, N(0, 1/10), and -1 on the diagonal except a few outliers. */
function sparseMatrix(n: number) {
  const rng = new Rng(7);
  const rowStart = [0];
  const columns: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const cols = new Set<number>([i]);
    while (cols.size < 11) cols.add(rng.int(n));
    for (const c of [...cols].sort((a, b) => a - b)) {
      columns.push(c);
      values.push(c === i ? (i < 5 ? 1 + 0.3 * i : -1) : rng.normal() / Math.sqrt(10));
    }
    rowStart.push(columns.length);
  }
  return { n, rowStart, columns, values };
}

function sparseCase(n: number, dir: string) {
  const A = sparseMatrix(n);
  const path = join(dir, `sparse-${n}.json`);
  writeFileSync(path, JSON.stringify(A));
  const rowStart = Int32Array.from(A.rowStart);
  const columns = Int32Array.from(A.columns);
  const values = Float64Array.from(A.values);
  const apply = (v: Float64Array) => {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let q = rowStart[i]!; q < rowStart[i + 1]!; q++) s += values[q]! * v[columns[q]!]!;
      w[i] = s;
    }
    return w;
  };
  const ours = Array.from({ length: repeats }, () =>
    timed(() => arnoldiEigenvalues(apply, n, { count: 1, tolerance, start: new Float64Array(n).fill(1) })),
  );
  let scipy: { seconds: number; rightmost: [number, number]; applications: number } | { unavailable: string };
  try {
    scipy = JSON.parse(
      execFileSync(
        "python3",
        [join(import.meta.dirname, "arnoldi_scipy.py"), path, "1", String(tolerance), String(repeats)],
        {
          encoding: "utf8",
          env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" },
        },
      ),
    );
  } catch (e) {
    scipy = { unavailable: (e as Error).message.split("\n")[0]! };
  }
  const seconds = median(ours.map((t) => t.seconds));
  return {
    matrix: `sparse random, ${n} x ${n}, 11 entries per row`,
    learndyn: { seconds, applications: ours[0]!.value.applications, rightmost: ours[0]!.value.values[0] },
    scipyArpack: scipy,
    ratioToScipy: "seconds" in scipy ? seconds / scipy.seconds : null,
  };
}

const dir = mkdtempSync(join(tmpdir(), "learndyn-arnoldi-"));
const result = {
  machine: { node: process.version, platform: process.platform, arch: process.arch },
  tolerance,
  repeats,
  network: [
    networkCase(110, 110, "initial"),
    networkCase(110, 110, "teacher"),
    ...(quick ? [] : [networkCase(315, 315, "initial")]),
  ],
  sparse: [sparseCase(12210, dir), ...(quick ? [] : [sparseCase(99540, dir)])],
  memory: { rssMiB: process.memoryUsage().rss / 2 ** 20 },
};
console.log(toJson(result));
if (!quick) writeJson(join(import.meta.dirname, "results", "arnoldi.json"), result);

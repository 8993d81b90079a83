/**
 * Sweep task "student-teacher": one student-teacher simulation of seed 001 section 5
 * (src/sim/sweep-task.ts) per (grid point, seed): final train and test error, peak test error,
 * q (eq. 15) and the largest Lyapunov exponent. Items of a shard run as one batch on the
 * context's backend (the CPU when run without one); each record names the backend that produced
 * it (`backend`: "cpu" after a lost GPU device). A simulation whose weights become non-finite is
 * a failed task with its epoch.
 */
import { cpuBackend } from "../../../backend/cpu.ts";
import { activations, rules } from "../../../sim/student-teacher.ts";
import {
  type StudentTeacherTaskParams,
  type StudentTeacherTaskResult,
  studentTeacherTasks,
  studentTeacherTaskWorkload,
} from "../../../sim/sweep-task.ts";
import {
  choiceParam,
  numberParam,
  type SweepParams,
  type SweepRunContext,
  type SweepTask,
  type SweepTaskOutcome,
} from "../task.ts";

const name = "student-teacher";

function taskParams(params: SweepParams): StudentTeacherTaskParams {
  const optional = (key: string) => (params[key] === undefined ? undefined : numberParam(name, params, key));
  const out: StudentTeacherTaskParams = {
    epochs: numberParam(name, params, "epochs"),
    activation: choiceParam(name, params, "activation", activations, "linear"),
    rule: choiceParam(name, params, "rule", rules, "curl-descent"),
    lyapunov: (optional("lyapunov") ?? 1) !== 0,
  };
  for (const key of [
    "c",
    "total",
    "M",
    "N",
    "alphaH",
    "alphaR",
    "batchSize",
    "trainCount",
    "testCount",
    "learningRate",
    "initScale",
  ] as const) {
    const v = optional(key);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function outcome(r: StudentTeacherTaskResult, backend: string, dtype: string): SweepTaskOutcome {
  const values = { ...r, lyapunov: r.lyapunov, failedAtEpoch: r.failedAtEpoch, backend, dtype };
  if (r.failedAtEpoch !== null) {
    return { status: "failed", reason: "non-finite weights", where: { epoch: r.failedAtEpoch }, values };
  }
  return { status: "ok", values };
}

/** Runs `items` as one batch on the context's backend (or a CPU backend). */
async function runItems(
  items: readonly { params: SweepParams; seed: number }[],
  context?: SweepRunContext,
): Promise<SweepTaskOutcome[]> {
  // Parameters are read before any simulation, so a bad one is refused for the whole batch.
  const parsed = items.map((it) => ({ params: taskParams(it.params), seed: it.seed }));
  const run = context
    ? await context.backend.run((backend) => studentTeacherTasks(parsed, backend))
    : { result: await studentTeacherTasks(parsed, cpuBackend()), backend: "cpu", dtype: "float64" };
  return run.result.map((r) => outcome(r, run.backend, run.dtype));
}

export const studentTeacherTask: SweepTask = {
  name,
  description: "student-teacher learning (seed 001 section 5): errors, q and Lyapunov exponent",
  parameters: [
    { name: "epochs", description: "epochs, >= 1", required: true },
    {
      name: "c",
      description: "compression ratio M / N (with total); M and N, when given, set the size",
      required: false,
    },
    { name: "total", description: "M + N (default 220)", required: false },
    { name: "M", description: "input dimension", required: false },
    { name: "N", description: "hidden dimension", required: false },
    {
      name: "alphaH",
      description: "fraction of flipped hidden-layer plasticity (D1), in [0, 1]",
      required: false,
    },
    {
      name: "alphaR",
      description: "fraction of flipped readout plasticity (D2), in [0, 1]",
      required: false,
    },
    { name: "activation", description: `${activations.join(" | ")} (default linear)`, required: false },
    { name: "rule", description: `${rules.join(" | ")} (default curl-descent)`, required: false },
    { name: "batchSize", description: "minibatch size (default: full batch)", required: false },
    { name: "trainCount", description: "training samples (default 250)", required: false },
    { name: "testCount", description: "test samples (default 100)", required: false },
    { name: "learningRate", description: "learning rate per epoch-sum (default 0.1)", required: false },
    { name: "initScale", description: "student initial weight scale (default 1)", required: false },
    {
      name: "lyapunov",
      description: "1 to measure the Lyapunov exponent (default), 0 to skip",
      required: false,
    },
  ],
  async run(params, seed, context) {
    return (await runItems([{ params, seed }], context))[0]!;
  },
  runBatch: runItems,
  batchSize: 16,
  usesBackend: true,
  workload: (items) =>
    studentTeacherTaskWorkload(items.map((it) => ({ params: taskParams(it.params), seed: it.seed }))),
};

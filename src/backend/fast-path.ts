/**
 * The hand-written fused student-teacher kernels as a checked fast path for compiled rules.
 *
 * A compiled rule whose programs are identical, node for node, to those of one of the built-in
 * two-layer rules (rules/curl-descent.rule, gradient-descent.rule, feedback-alignment.rule) at
 * the same sizes and activation computes exactly the step those kernels implement
 * (src/backend/backend.ts, StudentTeacherBatch), so its runs can be handed to
 * `Backend.studentTeacher` instead of the generic compiled path; so can the same rules with the
 * `renormalize` line removed (both layers, StudentTeacherInit.renormalize = false). On the CPU
 * backend the two agree bit for bit (tested); on the others, within the backend's rounding.
 * Rules that differ in any way (another sign pattern, another error, one layer renormalized) take
 * the compiled path, as do runs that do not share one learning rate.
 */
import type { RunData } from "../ir/draw.ts";
import { compileRule } from "../ir/lower.ts";
import type { CompiledRule } from "../ir/program.ts";
import { builtinNetworkRule } from "../rules/network/builtin-network-rules.ts";
import { concatenate } from "../util/concatenate.ts";
import type {
  Activation,
  Backend,
  BatchErrors,
  NetworkBatch,
  NetworkInit,
  StudentTeacherBatch,
  StudentTeacherInit,
} from "./backend.ts";
import { checkNetworkInit } from "./check-network-init.ts";

/** The built-in rules the fused kernels implement, with where their ingredients are. */
const TEMPLATES = [
  { rule: "curl-descent", signs: [2, 3] as const, feedback: null },
  { rule: "gradient-descent", signs: null, feedback: null },
  { rule: "feedback-alignment", signs: [2, 3] as const, feedback: 4 },
] as const;

type Template = (typeof TEMPLATES)[number];

const cache = new Map<string, CompiledRule | null>();

function sameProgramsAs(rule: CompiledRule, template: CompiledRule): boolean {
  const json = (r: CompiledRule) =>
    JSON.stringify([
      r.kind,
      r.states,
      r.fixed,
      r.params,
      r.data,
      r.samples,
      r.minibatch,
      r.hoist,
      r.step,
      r.error,
    ]);
  return json(rule) === json(template);
}

/** The built-in two-layer rule `rule` compiles to, if any (then the fused kernels can run it). */
export function matchStudentTeacher(rule: CompiledRule): Template | null {
  if (rule.states.length !== 2 || rule.data.length !== 2 || !rule.samples) return null;
  const [w1, w2] = rule.states;
  const phi = rule.choices.phi;
  if (phi !== "linear" && phi !== "tanh" && phi !== "relu") return null;
  const sizes = { M: w1!.cols, N: w1!.rows, P: rule.samples.train, Q: rule.samples.test, S: rule.minibatch };
  if (w2!.rows !== 1 || w2!.cols !== sizes.N) return null;
  // The fused kernel renormalizes both layers or neither.
  const renormalize = w1!.renormalize;
  if (w2!.renormalize !== renormalize) return null;
  for (const t of TEMPLATES) {
    const key = `${t.rule}|${JSON.stringify(sizes)}|${phi}|${rule.choices.law ?? ""}|${renormalize}`;
    if (!cache.has(key)) {
      let compiled: CompiledRule | null = null;
      try {
        const spec = builtinNetworkRule(t.rule);
        compiled = compileRule(renormalize ? spec : { ...spec, renormalize: [] }, {
          sizes,
          choices: { phi, ...(rule.choices.law ? { law: rule.choices.law } : {}) },
        });
      } catch {
        compiled = null; // e.g. a choice the template does not have: no match
      }
      cache.set(key, compiled);
    }
    const template = cache.get(key);
    if (template && sameProgramsAs(rule, template)) return t;
  }
  return null;
}

/** The index of the learning rate among the parameters of the built-in two-layer rules. */
function learningRateIndex(rule: CompiledRule): number {
  return rule.params.indexOf("lr");
}

/**
 * Runs of `rule` with equal keys can share one fused batch: for a rule the fused kernels run,
 * the run's learning rate (one per fused batch); "" for any other rule (the compiled path takes
 * parameters per run). Callers that group runs into batches split by this key to keep the fast
 * path for runs at different learning rates.
 */
export function fusedBatchKey(rule: CompiledRule, run: RunData): string {
  const lr = learningRateIndex(rule);
  return lr >= 0 && matchStudentTeacher(rule) ? `lr=${run.params[lr]}` : "";
}

/** The StudentTeacherInit of the runs, or null when they cannot share one fused batch. */
function packStudentTeacher(
  template: Template,
  rule: CompiledRule,
  runs: readonly RunData[],
  norms: readonly Float64Array[],
): StudentTeacherInit | null {
  const lr = learningRateIndex(rule);
  const rate = runs[0]!.params[lr]!;
  if (lr < 0 || runs.some((r) => r.params[lr] !== rate)) return null;
  const [w1] = rule.states;
  const M = w1!.cols;
  const N = w1!.rows;
  const cat = (pick: (r: RunData) => Float64Array) => concatenate(runs.map(pick));
  const ones = (n: number) => new Float64Array(n).fill(1);
  return {
    size: runs.length,
    inputs: M,
    hidden: N,
    activation: rule.choices.phi as Activation,
    trainInputs: cat((r) => r.train[0]!),
    trainTargets: cat((r) => r.train[1]!),
    testInputs: cat((r) => r.test[0]!),
    testTargets: cat((r) => r.test[1]!),
    trainCount: rule.samples!.train,
    testCount: rule.samples!.test,
    w1: cat((r) => r.states[0]!),
    w2: cat((r) => r.states[1]!),
    d1: cat((r) => (template.signs ? r.fixed[template.signs[0]]! : ones(M))),
    d2: cat((r) => (template.signs ? r.fixed[template.signs[1]]! : ones(N))),
    feedback: template.feedback === null ? "readout" : "fixed",
    feedbackWeights: cat((r) =>
      template.feedback === null ? new Float64Array(N) : r.fixed[template.feedback]!,
    ),
    learningRate: rate,
    batchSize: rule.minibatch,
    shuffleSeeds: Uint32Array.from(runs, (r) => r.shuffleSeed),
    renormalize: w1!.renormalize,
    norm1: norms[0]!,
    norm2: norms[1]!,
  };
}

/** A fused student-teacher batch seen as a NetworkBatch of its rule (states W1, W2). */
class FusedNetworkBatch implements NetworkBatch {
  constructor(
    readonly rule: CompiledRule,
    private readonly batch: StudentTeacherBatch,
  ) {}
  get size(): number {
    return this.batch.size;
  }
  get epoch(): number {
    return this.batch.epoch;
  }
  advance(epochs: number): void {
    this.batch.advance(epochs);
  }
  errors(): Promise<BatchErrors> {
    return this.batch.errors();
  }
  async readStates(): Promise<Float64Array[]> {
    const { w1, w2 } = await this.batch.readWeights();
    return [w1, w2];
  }
  writeStates(states: readonly Float64Array[]): void {
    this.batch.writeWeights(states[0]!, states[1]!);
  }
  failures(): Promise<Int32Array> {
    return this.batch.failures();
  }
  dispose(): void {
    this.batch.dispose();
  }
}

/** Which engine runs a batch: the compiled rule, or a hand-written fused kernel. */
export type NetworkEngine = "compiled" | "fused student-teacher kernel";

/**
 * Where the fused kernel is faster than the compiled rule, by backend, as measured by
 * bench/network.ts and bench/webgpu-network.ts (seed 001's protocol, M = N = 110, minibatch 10):
 * - cpu: the TypeScript fused kernel takes about a third of the interpreter's time per epoch;
 * - cpu-wasm, cpu-threads: the generated WebAssembly is as fast or faster (0.6 to 1.1 times the
 *   AssemblyScript kernel's time) and equals the interpreter bit for bit, so it runs instead;
 * - cpu-native: the generated C is faster still than the generated WebAssembly (bench/simulate.ts);
 * - webgpu: equal on llvmpipe; the on-chip variant keeps W1 in workgroup memory on a GPU, which
 *   the generated kernels do not, so the fused kernel stays the default there.
 * A backend not listed runs the compiled rule.
 */
const FUSED_IS_FASTER: Readonly<Record<string, boolean>> = {
  cpu: true,
  "cpu-wasm": false,
  "cpu-native": false,
  "cpu-threads": false,
  webgpu: true,
};

/**
 * Whether a batch on `backend` takes the fused kernel when its rule matches: always with
 * `fastPath` true, never with false, and by default (undefined) where it is the faster engine.
 */
export function usesFusedKernel(backend: Backend, fastPath: boolean | undefined): boolean {
  return fastPath ?? FUSED_IS_FASTER[backend.name] ?? false;
}

/**
 * Starts a batch of runs on `backend`: through the fused student-teacher kernel when the rule
 * is one of the built-in two-layer rules, the runs share a learning rate and the kernel is used
 * on this backend (usesFusedKernel), otherwise through the backend's compiled path.
 */
export function startNetwork(
  backend: Backend,
  init: NetworkInit,
  options: { fastPath?: boolean } = {},
): { batch: NetworkBatch; engine: NetworkEngine } {
  if (usesFusedKernel(backend, options.fastPath)) {
    const template = matchStudentTeacher(init.rule);
    if (template) {
      const checked = checkNetworkInit(`${backend.name}.network`, init);
      const packed = packStudentTeacher(template, init.rule, init.runs, checked.norms);
      if (packed)
        return {
          batch: new FusedNetworkBatch(init.rule, backend.studentTeacher(packed)),
          engine: "fused student-teacher kernel",
        };
    }
  }
  return { batch: backend.network(init), engine: "compiled" };
}

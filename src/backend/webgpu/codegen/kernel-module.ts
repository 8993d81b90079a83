/**
 * What the generated kernels share: the buffer bindings they use (numbered in a fixed order, so
 * the host binds by name), the uniform block, the per-member base offsets as module-scope
 * values, the helpers, and the options and result of a generated kernel.
 */
import type { KernelTraffic } from "./kernel-traffic.ts";
import type { MemberLayout } from "./member-layout.ts";
import type { Resource } from "./program-wgsl.ts";

/** A buffer binding of a generated kernel. */
export type Binding =
  | "dispatch"
  | "states"
  | "consts"
  | "train"
  | "test"
  | "status"
  | "perm"
  | "scratch"
  | "errors";

const DECLARATIONS: Record<Binding, (access: "read" | "read_write") => string> = {
  dispatch: () => "var<uniform> dispatch: Dispatch;",
  states: (a) => `var<storage, ${a}> states: array<f32>;`,
  consts: () => "var<storage, read> consts: array<f32>;",
  train: () => "var<storage, read> train: array<f32>;",
  test: () => "var<storage, read> test: array<f32>;",
  status: () => "var<storage, read_write> status: array<u32>;",
  perm: () => "var<storage, read_write> perm: array<u32>;",
  scratch: () => "var<storage, read_write> scratch: array<f32>;",
  errors: () => "var<storage, read_write> errors: array<f32>;",
};

const ORDER: Binding[] = [
  "dispatch",
  "states",
  "consts",
  "train",
  "test",
  "status",
  "perm",
  "scratch",
  "errors",
];

/** The bindings among `used`, in binding order (binding k of group 0 is the k-th). */
export function bindingOrder(used: ReadonlySet<Resource | Binding>): Binding[] {
  return ORDER.filter((b) => used.has(b));
}

/** The declarations of `bindings` (states read_write when `writesStates`). */
export function bindingDeclarations(bindings: readonly Binding[], writesStates: boolean): string {
  return bindings
    .map(
      (b, k) =>
        `@group(0) @binding(${k}) ${DECLARATIONS[b](b === "states" && writesStates ? "read_write" : "read")}`,
    )
    .join("\n");
}

/** Rounds bytes up to 16, as Dawn counts each workgroup variable. */
export const roundUp16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** The largest word count whose 16-rounded size fits `bytes`. */
export function wordsWithin(bytes: number): number {
  return Math.max(0, Math.floor(bytes / 16) * 4);
}

/**
 * The uniform block of every generated kernel, and `no_unroll`: a run-time 0 (the host writes
 * it) added to the constant trip count of every loop so that the shader compiler cannot unroll
 * it. Sizes are constants of the generated code (so it reads like the rule), but unrolled loops,
 * with the node functions inlined into their bodies, multiply the code: with constant counts
 * llvmpipe spent seconds compiling each small rule of the test suite, and tens of seconds at
 * sizes around 20, for steps at most 10 to 20 % faster at M = N = 110. Loops whose body has a
 * barrier read it from the uniform block (a private variable is not uniform in WGSL's analysis).
 */
export const DISPATCH_BLOCK = `// epoch0, epochs: the epochs of this dispatch (step kernel). no_unroll: always 0, added to every
// loop bound so that the shader compiler keeps loops rolled (compile time, not correctness).
struct Dispatch { epoch0: u32, epochs: u32, no_unroll: u32 }
var<private> no_unroll: u32;`;

/** The byte size of the uniform block (rounded up to 16). */
export const DISPATCH_BYTES = 16;

export const SHARED_HELPERS = `// NaN and inf by their bits: compilers may assume finite floats and fold x != x away.
fn is_finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }

// A barrier over both workgroup and storage memory between phases.
fn sync() {
  storageBarrier();
  workgroupBarrier();
}`;

/** The unary helpers, sorted by name so the module text is deterministic. */
export function helperDefinitions(...maps: ReadonlyMap<string, string>[]): string {
  const all = new Map<string, string>();
  for (const m of maps) for (const [k, v] of m) all.set(k, v);
  return [...all.keys()]
    .sort()
    .map((k) => all.get(k)!)
    .join("\n");
}

export interface KernelOptions {
  /** Invocations per workgroup (one workgroup per member). */
  readonly workgroupSize: number;
  /** Bytes of workgroup memory the kernel may declare (maxComputeWorkgroupStorageSize or less). */
  readonly workgroupBytes: number;
}

/** A generated kernel with what the host needs to run it. */
export interface GeneratedKernel {
  readonly code: string;
  /** The buffers to bind, in binding order. */
  readonly bindings: readonly Binding[];
  /** Words of scratch per member. */
  readonly scratchWords: number;
  /** Words of the workgroup arena (intermediates on chip). */
  readonly workgroupWords: number;
  /** Bytes of workgroup memory declared in all. */
  readonly workgroupBytes: number;
  /** Analytic memory traffic per step (step kernel) or per evaluation of both sets (error kernel). */
  readonly traffic: KernelTraffic;
}

/** The module-scope member index and the bases of its blocks (set once per workgroup). */
export function baseDeclarations(layout: MemberLayout, scratchWords: number): string {
  return [
    `// Member strides in words: states ${layout.states.stride}, consts ${layout.constsStride}, train ${layout.train.stride}, test ${layout.test.stride}, scratch ${scratchWords}.`,
    "var<private> member: u32;",
    "var<private> state_base: u32;",
    "var<private> const_base: u32;",
    "var<private> train_base: u32;",
    "var<private> test_base: u32;",
    "var<private> scratch_base: u32;",
  ].join("\n");
}

/** Statements setting the member bases from `member`. */
export function setBases(layout: MemberLayout, scratchWords: number): string {
  return [
    `state_base = member * ${layout.states.stride}u;`,
    `const_base = member * ${layout.constsStride}u;`,
    `train_base = member * ${layout.train.stride}u;`,
    `test_base = member * ${layout.test.stride}u;`,
    `scratch_base = member * ${scratchWords}u;`,
  ].join("\n  ");
}

/**
 * The C source of a compiled network rule for the native backend: the counterpart of
 * src/backend/wasm-codegen/rule-module.ts, generated from the same plan (planRule: the same
 * layout, addresses and kernel list), with the same exports, as a Node-API addon:
 *
 *   steps(memory: ArrayBuffer, count, host) -> 0 | 1    `count` steps of the epoch whose
 *        permutation is in memory: gather the minibatch, run the step program's kernels, the
 *        failure rule and renormalization, exactly as the WebAssembly module's `steps`;
 *   errorTrain(memory, host) -> number, errorTest(memory, host) -> number   (when the rule has an error)
 *
 * `memory` holds the run at the plan's byte addresses. The transcendental functions are the
 * host's: `host(fn, src, dst, count)` applies function number `fn` of `RuleSource.host` to
 * `count` entries at byte address src, writing them at dst, so they are the very functions of
 * src/ir/elementwise.ts (the C library's tanh or exp could differ in the last bit).
 */
import type { CompiledRule } from "../../ir/program.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { type Dtype, type Element, elementOf } from "../wasm-codegen/element.ts";
import type { BufferRef, HostUnary, View } from "../wasm-codegen/kernel.ts";
import type { ProgramPlan } from "../wasm-codegen/plan-program.ts";
import { planRule, type RulePlan } from "../wasm-codegen/rule-module.ts";
import { cLiteral, cType, emitCKernel, powersOf } from "./emit-c.ts";

export interface RuleSourceOptions {
  readonly dtype?: Dtype;
  /** Bytes of the widest vector: 64 (AVX-512), 32 (AVX2) or 16 (default 32). */
  readonly vectorBytes?: 16 | 32 | 64;
  /** Full-width vectors per block (default DEFAULT_UNROLL). */
  readonly unroll?: number;
  /** Accumulators a block may keep over several rows (default DEFAULT_ACCUMULATORS). */
  readonly accumulators?: number;
}

export interface RuleSource {
  readonly plan: RulePlan;
  readonly code: string;
  /** Bytes of memory a run needs. */
  readonly bytes: number;
  /** The host functions, by the number the addon calls them with. */
  readonly host: readonly HostUnary[];
}

/**
 * Blocking, as measured on seed 001's protocol (M = N = 110, S = 10, one core of an AVX-512 AMD
 * EPYC, the kernels alone, alternating builds, best of 5 under a load of about 2): two
 * full-width vectors per block take 3.5% less time per epoch than four in float64 (0.350 against
 * 0.363 ms) and 6% less in float32 (0.214 against 0.228); six or one are no better, and 8, 24 or
 * 32 accumulators no better than 16 (results never depend on either: tested).
 */
const DEFAULT_UNROLL = 2;
const DEFAULT_ACCUMULATORS = 16;

/** The C source of `rule` (see the file comment for what it exports). */
export function ruleSource(rule: CompiledRule, options: RuleSourceOptions = {}): RuleSource {
  const element = elementOf(options.dtype ?? "float64");
  const plan = planRule(rule, element);
  const vectorBytes = options.vectorBytes ?? 32;
  const width = vectorBytes / element.bytes;
  const ctx = {
    address: (b: BufferRef) => {
      const a = plan.address.get(b);
      if (a === undefined) throw new InvalidArgumentError("ruleSource", "buffer", "a placed buffer", b.name);
      return a;
    },
    host: (fn: string) => plan.host.indexOf(fn as HostUnary),
    element,
    width,
    unroll: options.unroll ?? DEFAULT_UNROLL,
    accumulators: options.accumulators ?? DEFAULT_ACCUMULATORS,
  };
  const { step, train, test } = plan.plans;
  const all = [step, train, test].filter((p): p is ProgramPlan => p !== null);
  const powers = new Set<string>();
  for (const p of all) for (const k of p.kernels) for (const x of powersOf(k, width)) powers.add(x);
  const parts: string[] = [prelude(element, width, powers)];
  const kernels = (p: ProgramPlan, prefix: string) =>
    p.kernels.map((k, i) => {
      parts.push(`/* ${k.label.replace(/\*\//g, "* /")} */\n${emitCKernel(ctx, k, `${prefix}${i}`)}`);
      return `${prefix}${i}`;
    });
  const stepNames = kernels(step, "step_");
  const at = (v: View) => {
    if (v.buffer === null)
      throw new InvalidArgumentError("ruleSource", "output view", "a view of memory", "a constant");
    return ctx.address(v.buffer) / element.bytes + v.offset;
  };
  parts.push(gather(rule, plan, ctx.address));
  parts.push(steps(rule, plan, stepNames, at, (b) => ctx.address(b) / element.bytes));
  const errors = train && test;
  if (errors) {
    parts.push(errorFunction("error_train", train, kernels(train, "train_"), at, element));
    parts.push(errorFunction("error_test", test, kernels(test, "test_"), at, element));
  }
  const bytes = plan.pages * 65536;
  parts.push(glue(bytes, errors !== null));
  return { plan, code: parts.join("\n"), bytes, host: plan.host };
}

function prelude(e: Element, width: number, powers: ReadonlySet<string>): string {
  const T = cType(e);
  const I = e.scalar === "f64" ? "long long" : "int";
  const out: string[] = [
    "/* Generated by learndyn from a compiled rule's IR; compile without contraction or reassociation. */",
    "#define NAPI_VERSION 8",
    "#include <node_api.h>",
    "#include <string.h>",
    "",
    "typedef struct { napi_env env; napi_value fn; int failed; } host_t;",
    "",
    "/* The host applies function fn to count entries at byte src, writing them at byte dst. */",
    "static void host_call(host_t *h, int fn, int src, int dst, int count) {",
    "  if (h->failed) return;",
    "  napi_value args[4], global, result;",
    "  napi_create_int32(h->env, fn, &args[0]);",
    "  napi_create_int32(h->env, src, &args[1]);",
    "  napi_create_int32(h->env, dst, &args[2]);",
    "  napi_create_int32(h->env, count, &args[3]);",
    "  napi_get_global(h->env, &global);",
    "  if (napi_call_function(h->env, global, h->fn, 4, args, &result) != napi_ok) h->failed = 1;",
    "}",
    "",
  ];
  for (let w = 2; w <= 16; w *= 2) {
    out.push(`typedef double vd${w} __attribute__((vector_size(${8 * w})));`);
    if (e.scalar === "f32") out.push(`typedef float vf${w} __attribute__((vector_size(${4 * w})));`);
  }
  const sqrt = e.scalar === "f64" ? "__builtin_sqrt" : "__builtin_sqrtf";
  const fabs = e.scalar === "f64" ? "__builtin_fabs" : "__builtin_fabsf";
  const z = cLiteral(e, 0);
  const one = cLiteral(e, 1);
  const mone = cLiteral(e, -1);
  out.push(
    `static inline ${T} sqrt1(${T} x) { return ${sqrt}(x); }`,
    `static inline ${T} abs1(${T} x) { return ${fabs}(x); }`,
    `static inline ${T} relu1(${T} x) { return x > ${z} ? x : ${z}; }`,
    `static inline ${T} relu_d1(${T} x) { return x > ${z} ? ${one} : ${z}; }`,
    `static inline ${T} abs_d1(${T} x) { return x > ${z} ? ${one} : x < ${z} ? ${mone} : ${z}; }`,
  );
  for (let w = 2; w <= width; w *= 2) {
    const V = cType(e, w);
    const M = `m${w}`;
    out.push(
      `typedef ${I} ${M} __attribute__((vector_size(${e.bytes * w})));`,
      `static inline ${V} splat${w}(${T} x) { return (${V}){${Array.from({ length: w }, () => "x").join(", ")}}; }`,
      `static inline ${V} ld${w}(const ${T} *p) { ${V} v; memcpy(&v, p, sizeof v); return v; }`,
      `static inline void st${w}(${T} *p, ${V} v) { memcpy(p, &v, sizeof v); }`,
      `static inline ${V} sqrt${w}(${V} x) { ${V} r; for (int l = 0; l < ${w}; l++) r[l] = ${sqrt}(x[l]); return r; }`,
      `static inline ${V} abs${w}(${V} x) { ${V} r; for (int l = 0; l < ${w}; l++) r[l] = ${fabs}(x[l]); return r; }`,
      // x > 0 ? x : 0, as the lane mask of x > 0 (false for NaN) and x.
      `static inline ${V} relu${w}(${V} x) { ${V} z = {0}; return (${V})((${M})x & (x > z)); }`,
      `static inline ${V} relu_d${w}(${V} x) { ${V} z = {0}; return (${V})((${M})splat${w}(${one}) & (x > z)); }`,
      `static inline ${V} abs_d${w}(${V} x) { ${V} z = {0}; return (${V})(((${M})splat${w}(${one}) & (x > z)) | ((${M})splat${w}(${mone}) & (x < z))); }`,
    );
  }
  // The low w lanes of a vector of W (a subregister).
  for (let W = 4; W <= width; W *= 2) {
    for (let w = 2; w < W; w *= 2) {
      out.push(
        `static inline ${cType(e, w)} lo${w}_${W}(${cType(e, W)} v) { ${cType(e, w)} r; memcpy(&r, &v, sizeof r); return r; }`,
      );
    }
  }
  for (const key of powers) {
    const [exponent, w] = key.split(" ").map(Number) as [number, number];
    const V = cType(e, w);
    const k = Math.abs(exponent);
    const product = Array.from({ length: k }, () => "x").join(" * ");
    const name = `pow${exponent < 0 ? "n" : "p"}${k}_${w}`;
    const onev = w === 1 ? one : `splat${w}(${one})`;
    out.push(
      `static inline ${V} ${name}(${V} x) { return ${exponent < 0 ? `${onev} / (${product})` : product}; }`,
    );
  }
  return `${out.join("\n")}\n`;
}

/** gather(k): minibatch[d][q, s] = train[d][q, perm[kS + s]] for every data tensor d. */
function gather(rule: CompiledRule, plan: RulePlan, address: (b: BufferRef) => number): string {
  const e = plan.element;
  const T = cType(e);
  const { layout } = plan;
  const S = rule.minibatch;
  const lines = [
    `static void gather(unsigned char *mem, int k) {`,
    `  ${T} *b = (${T} *)mem;`,
    `  const int *perm = (const int *)(mem + ${address(layout.perm)}) + k * ${S};`,
    "  (void)b; (void)perm;",
  ];
  if (rule.samples) {
    lines.push(`  for (int s = 0; s < ${S}; s++) {`, "    int p = perm[s];");
    rule.data.forEach((d, k) => {
      const src = address(layout.train[k]!) / e.bytes;
      const dst = address(layout.minibatch[k]!) / e.bytes;
      lines.push(
        `    for (int q = 0; q < ${d.rows * d.cols}; q++) b[${dst} + q * ${layout.lanes.minibatch} + s] = b[${src} + q * ${layout.lanes.train} + p];`,
      );
    });
    lines.push("  }");
  }
  lines.push("}", "");
  return lines.join("\n");
}

/** steps(count): the WebAssembly module's `steps` (rule-module.ts), statement for statement. */
function steps(
  rule: CompiledRule,
  plan: RulePlan,
  names: readonly string[],
  at: (v: View) => number,
  base: (b: BufferRef) => number,
): string {
  const e = plan.element;
  const T = cType(e);
  const step = plan.plans.step;
  const { layout } = plan;
  const lines = [
    "static int steps(unsigned char *mem, int count, host_t *h) {",
    `  ${T} *b = (${T} *)mem;`,
    "  for (int k = 0; k < count; k++) {",
  ];
  if (rule.samples) lines.push("    gather(mem, k);");
  step.kernels.forEach((kernel, i) => {
    const call = `${names[i]}(mem, h);`;
    lines.push(kernel.kind === "compute" && kernel.norm ? `    double sum${i} = ${call}` : `    ${call}`);
  });
  lines.push("    if (h->failed) return 0;");
  const norm = (i: number) => `norm${i}`;
  rule.states.forEach((_, i) => {
    lines.push(`    double ${norm(i)} = __builtin_sqrt(sum${step.outputs[i]!.normKernel});`);
  });
  // The failure rule: a norm not finite (NaN or inf), or 0 for a renormalized state.
  const failing = rule.states.map(
    (s, i) => `!(${norm(i)} < __builtin_inf())${s.renormalize ? ` || ${norm(i)} == 0` : ""}`,
  );
  const entries = (i: number) => rule.states[i]!.rows * rule.states[i]!.cols;
  const copy = (from: number, to: number, n: number, scale: string | null) =>
    `    for (int q = 0; q < ${n}; q++) b[${to} + q] = ${scale ? `${scale} * ` : ""}b[${from} + q];`;
  lines.push(`    if (${failing.join(" || ")}) {`);
  rule.states.forEach((_, i) => {
    const o = step.outputs[i]!;
    if (!o.inPlace) lines.push(`  ${copy(at(o.view), base(layout.states[i]!), entries(i), null)}`);
  });
  lines.push("      return 0;", "    }");
  rule.states.forEach((s, i) => {
    const o = step.outputs[i]!;
    const to = base(layout.states[i]!);
    if (s.renormalize) {
      const target = `b[${base(layout.targets)} + ${i}]`;
      lines.push(`    { ${T} scale = (${T})((double)${target} / ${norm(i)});`);
      lines.push(`  ${copy(o.inPlace ? to : at(o.view), to, entries(i), "scale")} }`);
    } else if (!o.inPlace) lines.push(copy(at(o.view), to, entries(i), null));
  });
  lines.push("  }", "  return 1;", "}", "");
  return lines.join("\n");
}

function errorFunction(
  name: string,
  plan: ProgramPlan,
  kernels: readonly string[],
  at: (v: View) => number,
  e: Element,
): string {
  const v = plan.outputs[0]!.view;
  const value =
    v.buffer === null ? String(cLiteral(e, v.constant!)) : `(double)((${cType(e)} *)mem)[${at(v)}]`;
  return [
    `static double ${name}(unsigned char *mem, host_t *h) {`,
    ...kernels.map((k) => `  ${k}(mem, h);`),
    `  return ${value};`,
    "}",
    "",
  ].join("\n");
}

/** The Node-API functions: each checks its memory argument and calls the generated code. */
function glue(bytes: number, errors: boolean): string {
  const memory = (fn: string) => [
    "  size_t argc = 3;",
    "  napi_value argv[3];",
    "  void *data = NULL;",
    "  size_t length = 0;",
    "  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);",
    `  if (argc < ${fn === "steps" ? 3 : 2} || napi_get_arraybuffer_info(env, argv[0], &data, &length) != napi_ok || length < ${bytes}) {`,
    `    napi_throw_type_error(env, NULL, "${fn}: expected an ArrayBuffer of at least ${bytes} bytes and the host function");`,
    "    return NULL;",
    "  }",
  ];
  const lines = [
    "static napi_value js_steps(napi_env env, napi_callback_info info) {",
    ...memory("steps"),
    "  int32_t count = 0;",
    "  if (napi_get_value_int32(env, argv[1], &count) != napi_ok || count < 0) {",
    '    napi_throw_type_error(env, NULL, "steps: expected a step count >= 0");',
    "    return NULL;",
    "  }",
    "  host_t h = { env, argv[2], 0 };",
    "  int ok = steps((unsigned char *)data, count, &h);",
    "  if (h.failed) return NULL;",
    "  napi_value out;",
    "  napi_create_int32(env, ok, &out);",
    "  return out;",
    "}",
    "",
  ];
  const names = ["steps"];
  if (errors) {
    for (const [js, c] of [
      ["errorTrain", "error_train"],
      ["errorTest", "error_test"],
    ] as const) {
      names.push(js);
      lines.push(
        `static napi_value js_${c}(napi_env env, napi_callback_info info) {`,
        ...memory(js),
        "  host_t h = { env, argv[1], 0 };",
        `  double value = ${c}((unsigned char *)data, &h);`,
        "  if (h.failed) return NULL;",
        "  napi_value out;",
        "  napi_create_double(env, value, &out);",
        "  return out;",
        "}",
        "",
      );
    }
  }
  const c = (js: string) =>
    js === "steps" ? "js_steps" : js === "errorTrain" ? "js_error_train" : "js_error_test";
  lines.push(
    "NAPI_MODULE_INIT() {",
    "  napi_property_descriptor d[] = {",
    ...names.map((n) => `    { "${n}", NULL, ${c(n)}, NULL, NULL, NULL, napi_default, NULL },`),
    "  };",
    `  napi_define_properties(env, exports, ${names.length}, d);`,
    "  return exports;",
    "}",
    "",
  );
  return lines.join("\n");
}

/**
 * WGSL of one IR program for one member, as node functions and phases (see fusion-plan.ts).
 *
 * Every node %k becomes a function `nk(s, i, j) -> f32`: its value at sample s, row i, column j
 * (s is ignored by a value without a sample axis). For a stored node it reads memory, and
 * `eval_nk` computes it; for an inline node it computes the value from its operands' functions.
 * A reduction accumulates in the IR's order from 0 (src/ir/program.ts): matmul over t = 0, 1,
 * ...; sampleSum over the samples in order; sum over the entries row-major. So each entry is the
 * reference's arithmetic in float32, and the generated code can be read next to
 * formatProgram's listing (each function carries its line as a comment).
 *
 * A phase is one loop per stored node over its entries, spread over the workgroup's
 * invocations (`lid`, stride WG); the kernel puts a barrier after each phase.
 */
import { formatProgram } from "../../../ir/format.ts";
import type { CompiledRule, IrNode, IrProgram, IrType } from "../../../ir/program.ts";
import type { FusionPlan } from "./fusion-plan.ts";
import type { MemberLayout } from "./member-layout.ts";
import type { Placement } from "./memory-plan.ts";
import { BINARY_OPERATOR, f32Literal, unaryDefinition, unaryName } from "./wgsl-scalar.ts";

/** The buffers and module-scope values the generated code refers to. */
export type Resource = "states" | "consts" | "train" | "test" | "scratch" | "workgroup" | "perm";

export interface ProgramContext {
  readonly rule: CompiledRule;
  readonly layout: MemberLayout;
  readonly plan: FusionPlan;
  /** Per node: where a stored node lives unless it is an output written in place. */
  readonly placements: readonly (Placement | undefined)[];
  /** Prefix of the node functions, so that two programs can share a kernel ("" or e.g. "test_"). */
  readonly prefix: string;
  /**
   * The WGSL expression of word `word` (a u32 expression, < rows * cols) of data tensor `k` at
   * sample `sample` (a u32 expression), as stored on the device; records the buffers it uses.
   */
  readonly data: (k: number, sample: string, word: string, uses: Set<Resource>) => string;
}

export interface ProgramWgsl {
  /** The node functions (and the unary helpers they call, by name). */
  readonly functions: string;
  readonly unaryHelpers: ReadonlyMap<string, string>;
  /** The code of each phase, unindented (without its closing barrier). */
  readonly phases: readonly string[];
  /** The WGSL expression of word `q` of output `k`'s value after the last phase. */
  outputWord(k: number, q: string): string;
  readonly uses: ReadonlySet<Resource>;
}

/** `a * b` as WGSL with the trivial cases folded (b a constant). */
function times(a: string, b: number): string {
  if (b === 0 || a === "0u") return "0u";
  return b === 1 ? a : `${a} * ${b}u`;
}

/** `text` with every line indented by `spaces`. */
export function indent(text: string, spaces: number): string {
  const pad = " ".repeat(spaces);
  return text
    .split("\n")
    .map((line) => (line === "" ? line : pad + line))
    .join("\n");
}

/** `a + b + ...` as WGSL, dropping zero terms. */
export function plus(...terms: string[]): string {
  const t = terms.filter((x) => x !== "0u" && x !== "");
  return t.length === 0 ? "0u" : t.join(" + ");
}

/** The flat index of entry (s, i, j) of a value of type `t` (broadcast dimensions of 1 read index 0). */
export function flatIndex(t: IrType, s: string, i: string, j: string): string {
  return plus(
    t.perSample ? times(s, t.rows * t.cols) : "0u",
    t.rows === 1 ? "0u" : times(i, t.cols),
    t.cols === 1 ? "0u" : j,
  );
}

/** Statements setting s, i, j to the indices of entry q (row-major, sample by sample) of a value of type `t`. */
export function entryIndices(t: IrType): string {
  const per = t.rows * t.cols;
  const s = t.perSample ? (per === 1 ? "q" : `q / ${per}u`) : "0u";
  const r = t.perSample && per !== 1 ? `q % ${per}u` : t.perSample ? "0u" : "q";
  const rr = r === "q" ? r : `(${r})`;
  const i = t.rows === 1 ? "0u" : t.cols === 1 ? r : `${rr} / ${t.cols}u`;
  const j = t.cols === 1 ? "0u" : t.rows === 1 ? r : `${rr} % ${t.cols}u`;
  return `let s = ${s};\n  let i = ${i};\n  let j = ${j};`;
}

export function programWgsl(program: IrProgram, ctx: ProgramContext): ProgramWgsl {
  const { rule, layout, plan, prefix } = ctx;
  const nodes = program.nodes;
  const uses = new Set<Resource>();
  const unaryHelpers = new Map<string, string>();
  const name = (k: number) => `${prefix}n${k}`;
  const listing = formatProgram(program, {
    states: rule.states.map((s) => s.name),
    fixed: rule.fixed.map((f) => f.name),
    params: rule.params,
    data: rule.data.map((d) => d.name),
  }).split("\n");

  /** The call of operand `a` at the consumer's (s, i, j), with broadcasting. */
  const call = (a: number, s: string, i: string, j: string) => {
    const t = nodes[a]!.type;
    return `${name(a)}(${t.perSample ? s : "0u"}, ${t.rows === 1 ? "0u" : i}, ${t.cols === 1 ? "0u" : j})`;
  };

  const outputOf = new Map<number, number>();
  program.outputs.forEach((o, k) => {
    if (plan.inPlace[k]) outputOf.set(o, k);
  });

  /** Where a stored node's entry lives. */
  const storedWord = (k: number, index: string): string => {
    const state = outputOf.get(k);
    if (state !== undefined) {
      uses.add("states");
      return `states[${plus("state_base", `${layout.states.offsets[state]!}u`, index)}]`;
    }
    const p = ctx.placements[k]!;
    if (p.arena === "workgroup") {
      uses.add("workgroup");
      return `wg[${plus(`${p.offset}u`, index)}]`;
    }
    uses.add("scratch");
    return `scratch[${plus("scratch_base", `${p.offset}u`, index)}]`;
  };

  /** A loop's trip count: the constant, plus the run-time 0 that keeps it rolled (kernel-module.ts). */
  const tripCount = (count: number) => `${count}u + no_unroll`;

  /** The body (statements) computing node k at (s, i, j) from its operands. */
  const definition = (k: number): string => {
    const n = nodes[k]!;
    const idx = flatIndex(n.type, "s", "i", "j");
    switch (n.op) {
      case "state":
        uses.add("states");
        return `return states[${plus("state_base", `${layout.states.offsets[n.index]!}u`, idx)}];`;
      case "fixed":
        uses.add("consts");
        return `return consts[${plus("const_base", `${layout.fixed.offsets[n.index]!}u`, idx)}];`;
      case "param":
        uses.add("consts");
        return `return consts[const_base + ${layout.paramsOffset + n.index}u];`;
      case "data":
        return `return ${ctx.data(n.index, "s", flatIndex({ ...n.type, perSample: false }, "s", "i", "j"), uses)};`;
      case "constant":
        return `return ${f32Literal(n.value)};`;
      case "matmul": {
        const k = nodes[n.a]!.type.cols;
        return [
          "var acc = 0.0;",
          `for (var t = 0u; t < ${tripCount(k)}; t++) { acc += ${call(n.a, "s", "i", "t")} * ${call(n.b, "s", "t", "j")}; }`,
          "return acc;",
        ].join("\n  ");
      }
      case "sampleSum":
        return [
          "var acc = 0.0;",
          `for (var r = 0u; r < ${tripCount(program.sampleCount)}; r++) { acc += ${call(n.a, "r", "i", "j")}; }`,
          "return acc;",
        ].join("\n  ");
      case "sum": {
        const t = nodes[n.a]!.type;
        return [
          "var acc = 0.0;",
          `for (var r = 0u; r < ${tripCount(t.rows)}; r++) {`,
          `  for (var c = 0u; c < ${tripCount(t.cols)}; c++) { acc += ${call(n.a, "s", "r", "c")}; }`,
          "}",
          "return acc;",
        ].join("\n  ");
      }
      case "unary": {
        const helper = unaryName(n.fn, n.exponent);
        unaryHelpers.set(helper, unaryDefinition(n.fn, n.exponent));
        return `return ${helper}(${call(n.a, "s", "i", "j")});`;
      }
      case "binary":
        return `return ${call(n.a, "s", "i", "j")} ${BINARY_OPERATOR[n.fn]} ${call(n.b, "s", "i", "j")};`;
      case "transpose":
        return `return ${call(n.a, "s", "j", "i")};`;
      case "diag":
        return `if (i == j) { return ${call(n.a, "s", "i", "0u")}; }\n  return 0.0;`;
    }
  };

  const fn = (fname: string, body: string) => `fn ${fname}(s: u32, i: u32, j: u32) -> f32 {\n  ${body}\n}`;
  const functions: string[] = [];
  nodes.forEach((n: IrNode, k) => {
    functions.push(`// ${listing[k]!}`);
    if (plan.materialized[k]) {
      functions.push(fn(name(k), `return ${storedWord(k, flatIndex(n.type, "s", "i", "j"))};`));
      functions.push(fn(`eval_${name(k)}`, definition(k)));
    } else {
      functions.push(fn(name(k), definition(k)));
    }
  });

  const phases = plan.phases.map((stored) =>
    stored
      .map((k) => {
        const t = nodes[k]!.type;
        const entries = (t.perSample ? program.sampleCount : 1) * t.rows * t.cols;
        return [
          `// %${k}: ${entries} entries`,
          `for (var q = lid; q < ${entries}u; q += WG) {`,
          `  ${entryIndices(t)}`,
          `  ${storedWord(k, "q")} = eval_${name(k)}(s, i, j);`,
          "}",
        ].join("\n");
      })
      .join("\n"),
  );

  return {
    functions: functions.join("\n"),
    unaryHelpers,
    phases,
    outputWord: (k, q) => storedWord(program.outputs[k]!, q),
    uses,
  };
}

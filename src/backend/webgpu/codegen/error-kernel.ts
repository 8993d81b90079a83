/**
 * The generated error kernel of a compiled rule: one workgroup per member evaluates the rule's
 * error program over the training set, then over the test set (CompiledRule.error), at the
 * current states, and writes errors [B, 2] (train, test) in float32 (binding `dispatch` only for
 * its `no_unroll`). The data are read in place (sample s of a set is row s). Failed members are
 * computed like the others; the host reports NaN for them.
 */
import type { CompiledRule } from "../../../ir/program.ts";
import { planFusion } from "./fusion-plan.ts";
import {
  type Binding,
  baseDeclarations,
  bindingDeclarations,
  bindingOrder,
  DISPATCH_BLOCK,
  type GeneratedKernel,
  helperDefinitions,
  type KernelOptions,
  roundUp16,
  SHARED_HELPERS,
  setBases,
  wordsWithin,
} from "./kernel-module.ts";
import { programTraffic } from "./kernel-traffic.ts";
import { memberLayout } from "./member-layout.ts";
import { placementsByNode, planMemory, programRegions } from "./memory-plan.ts";
import { indent, programWgsl, type Resource } from "./program-wgsl.ts";

/** The error kernel of `rule`, or null when the rule declares no error. */
export function errorKernel(rule: CompiledRule, options: KernelOptions): GeneratedKernel | null {
  if (!rule.error) return null;
  const layout = memberLayout(rule);
  const capacity = wordsWithin(options.workgroupBytes);
  const sets = (["train", "test"] as const).map((set) => {
    const program = rule.error![set];
    const plan = planFusion(program, { gatherData: false, outputsAreStates: false });
    const { stored, regions } = programRegions(program, plan);
    return { set, program, plan, stored, memory: planMemory(regions, capacity) };
  });
  // The two programs run one after the other, so their arenas overlap: each takes the larger.
  const workgroupWords = Math.max(...sets.map((s) => s.memory.workgroupWords));
  const scratchWords = Math.max(...sets.map((s) => s.memory.storageWords));
  const placements = sets.map(({ program, stored, memory }) =>
    placementsByNode(program.nodes.length, stored, memory),
  );
  const bodies = sets.map(({ set, program, plan }, k) =>
    programWgsl(program, {
      rule,
      layout,
      plan,
      placements: placements[k]!,
      prefix: `${set}_`,
      data: (k, s, word, uses) => {
        uses.add(set);
        const words = rule.data[k]!.rows * rule.data[k]!.cols;
        const offset = (set === "train" ? layout.train : layout.test).offsets[k]!;
        return `${set}[${set}_base + ${offset}u + ${s} * ${words}u + ${word}]`;
      },
    }),
  );
  const used = new Set<Resource | Binding>(["dispatch", "states", "errors"]);
  for (const b of bodies) for (const u of b.uses) used.add(u);
  const bindings = bindingOrder(used);
  const evaluate = bodies
    .map((b, k) => {
      const phases = b.phases
        .map((p, q) => `${p}\nsync(); // end of phase ${q} (${sets[k]!.set})`)
        .join("\n");
      return `${phases}\nif (lid == 0u) { errors[member * 2u + ${k}u] = ${b.outputWord(0, "0u")}; }\nsync();`;
    })
    .join("\n");
  const code = [
    `// Error kernel of rule "${rule.name}" (generated from its IR; one workgroup per member).`,
    DISPATCH_BLOCK,
    `const WG = ${options.workgroupSize}u;`,
    bindingDeclarations(bindings, false),
    workgroupWords > 0 ? `var<workgroup> wg: array<f32, ${workgroupWords}>;` : "",
    baseDeclarations(layout, scratchWords),
    SHARED_HELPERS,
    helperDefinitions(...bodies.map((b) => b.unaryHelpers)),
    ...bodies.map((b) => b.functions),
    `@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  member = wid.x;
  no_unroll = dispatch.no_unroll;
  ${setBases(layout, scratchWords)}
${indent(evaluate, 2)}
}`,
  ]
    .filter((x) => x !== "")
    .join("\n\n");
  return {
    code,
    bindings,
    scratchWords,
    workgroupWords,
    workgroupBytes: roundUp16(4 * workgroupWords),
    traffic: sets
      .map(({ program, plan }, k) => programTraffic(program, plan, placements[k]!, false))
      .reduce((a, b) => ({
        issued: {
          deviceWords: a.issued.deviceWords + b.issued.deviceWords,
          workgroupWords: a.issued.workgroupWords + b.issued.workgroupWords,
        },
        passes: {
          deviceWords: a.passes.deviceWords + b.passes.deviceWords,
          workgroupWords: a.passes.workgroupWords + b.passes.workgroupWords,
        },
      })),
  };
}

/**
 * The generated step kernel of a compiled rule: one workgroup per member advances it by whole
 * epochs on the device, with the step of CompiledRule (src/ir/program.ts):
 *
 *   per epoch t:  perm = counterPermutation(deriveKey(shuffleSeed, t), P)   (invocation 0,
 *                 the WGSL twin of src/util/counter-rng.ts)
 *   per step k:   phase 0 gathers the minibatch perm[kS .. kS + S - 1]; the step program's
 *                 phases compute the new states (program-wgsl.ts);
 *                 commit: n_i = sqrt(sum of squares, row-major from 0) of each new state; if
 *                 some n_i is not finite, or 0 for a renormalized state, the member fails at
 *                 epoch t and is frozen with the new states unscaled; otherwise each
 *                 renormalized state is multiplied by (target_i / n_i).
 *
 * Device buffers (member-layout.ts): states (read and written), consts, train, status [B, 2]
 * u32 (shuffle seed; 1 + the epoch of failure, 0 while running), perm [B, P] u32, scratch
 * [B, scratchWords] for the stored nodes that do not fit in workgroup memory. The uniform
 * block `dispatch` holds the first epoch and the number of epochs of the dispatch
 * (kernel-module.ts, DISPATCH_BLOCK).
 */
import type { CompiledRule } from "../../../ir/program.ts";
import { counterRngWgsl } from "../kernels/counter-rng.wgsl.ts";
import { type FusionPlan, planFusion } from "./fusion-plan.ts";
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
import { programTraffic, stepTraffic } from "./kernel-traffic.ts";
import { type MemberLayout, memberLayout } from "./member-layout.ts";
import { placementsByNode, planMemory, programRegions } from "./memory-plan.ts";
import { indent, type ProgramWgsl, plus, programWgsl, type Resource } from "./program-wgsl.ts";

/** The step kernel of `rule`. */
export function stepKernel(rule: CompiledRule, options: KernelOptions): GeneratedKernel {
  const layout = memberLayout(rule);
  const program = rule.step;
  const S = rule.minibatch;
  const P = rule.samples?.train ?? 0;
  const usesData = program.nodes.some((n) => n.op === "data");
  const plan = planFusion(program, { gatherData: usesData, outputsAreStates: true });
  const { stored, regions } = programRegions(program, plan);
  const NS = rule.states.length;
  // dead (u32), the norms and the scale factors share the limit with the arena.
  const fixedBytes = 16 + 2 * roundUp16(4 * NS);
  const memory = planMemory(regions, wordsWithin(options.workgroupBytes - fixedBytes));
  const placements = placementsByNode(program.nodes.length, stored, memory);
  const body = programWgsl(program, {
    rule,
    layout,
    plan,
    placements,
    prefix: "",
    data: (k, s, word, uses) => {
      uses.add("train");
      uses.add("perm");
      const words = rule.data[k]!.rows * rule.data[k]!.cols;
      return `train[train_base + ${layout.train.offsets[k]!}u + perm[pbase + ${s}] * ${words}u + ${word}]`;
    },
  });
  const used = new Set<Resource | Binding>([...body.uses, "dispatch", "states", "consts", "status"]);
  const bindings = bindingOrder(used);
  const stepsPerEpoch = rule.samples ? P / S : 1;
  const code = [
    [
      `// Step kernel of rule "${rule.name}", generated from its IR: one workgroup per member advances`,
      "// it by the dispatch's epochs. Per member: states (read, then overwritten by the commit),",
      "// consts (fixed tensors, parameters, target norms), train (the data, sample by sample),",
      "// status (shuffle seed; 1 + the epoch of failure), perm (this epoch's sample order).",
    ].join("\n"),
    usesData ? counterRngWgsl.trim() : "",
    DISPATCH_BLOCK,
    `const WG = ${options.workgroupSize}u;`,
    bindingDeclarations(bindings, true),
    [
      memory.workgroupWords > 0
        ? `// Stored intermediates that fit on chip.\nvar<workgroup> wg: array<f32, ${memory.workgroupWords}>;`
        : "",
      "// The commit's failure flag (1 + epoch), norms of the new states and scale factors.",
      "var<workgroup> dead: u32;",
      `var<workgroup> norms: array<f32, ${NS}>;`,
      `var<workgroup> scales: array<f32, ${NS}>;`,
    ]
      .filter((x) => x !== "")
      .join("\n"),
    baseDeclarations(layout, memory.storageWords),
    usesData ? "// Index in perm of the current minibatch's first sample.\nvar<private> pbase: u32;" : "",
    SHARED_HELPERS,
    helperDefinitions(body.unaryHelpers),
    body.functions,
    mainFunction(rule, layout, body, plan, {
      usesData,
      P,
      S,
      stepsPerEpoch,
      scratchWords: memory.storageWords,
    }),
  ]
    .filter((x) => x !== "")
    .join("\n\n");
  return {
    code,
    bindings,
    scratchWords: memory.storageWords,
    workgroupWords: memory.workgroupWords,
    workgroupBytes: roundUp16(4 * memory.workgroupWords) + fixedBytes,
    traffic: stepTraffic(
      rule,
      programTraffic(program, plan, placements, usesData),
      program.outputs.map((o, k) =>
        !plan.inPlace[k] && placements[o]!.arena === "workgroup" ? "workgroup" : "device",
      ),
      plan.inPlace,
    ),
  };
}

function mainFunction(
  rule: CompiledRule,
  layout: MemberLayout,
  body: ProgramWgsl,
  plan: FusionPlan,
  s: { usesData: boolean; P: number; S: number; stepsPerEpoch: number; scratchWords: number },
): string {
  const phases = body.phases.map((p, k) => indent(`${p}\nsync(); // end of phase ${k}`, 6)).join("\n");
  const NS = rule.states.length;
  const norms = rule.states
    .map((st, k) => {
      const words = st.rows * st.cols;
      return [
        `      // ||${st.name}||: the sum of squares in row-major order, from 0.`,
        `      if (lid == ${k}u % WG) {`,
        "        var acc = 0.0;",
        `        for (var q = 0u; q < ${words}u + no_unroll; q++) { let v = ${body.outputWord(k, "q")}; acc += v * v; }`,
        `        norms[${k}] = sqrt(acc);`,
        "      }",
      ].join("\n");
    })
    .join("\n");
  const verdict = rule.states
    .map((st, k) => `!is_finite(norms[${k}])${st.renormalize ? ` || norms[${k}] == 0.0` : ""}`)
    .join(" || ");
  const scales = rule.states
    .map((st, k) =>
      st.renormalize
        ? `          scales[${k}] = consts[const_base + ${layout.normsOffset + k}u] / norms[${k}];`
        : "",
    )
    .filter((x) => x !== "")
    .join("\n");
  const writes = rule.states
    .map((st, k) => {
      const words = st.rows * st.cols;
      const target = `states[${plus("state_base", `${layout.states.offsets[k]!}u`, "q")}]`;
      const source = body.outputWord(k, "q");
      const inPlace = plan.inPlace[k]!;
      if (inPlace && !st.renormalize) return `      // ${st.name} was written in place (not renormalized).`;
      if (inPlace) {
        return [
          `      // ${st.name}: written in place; rescaled unless the member failed.`,
          `      if (!failed) { for (var q = lid; q < ${words}u; q += WG) { ${target} = ${target} * scales[${k}]; } }`,
        ].join("\n");
      }
      const value = st.renormalize ? `select(v * scales[${k}], v, failed)` : "v";
      return [
        `      // ${st.name}: copied from where the step stored it${st.renormalize ? ", rescaled unless the member failed" : ""}.`,
        `      for (var q = lid; q < ${words}u; q += WG) { let v = ${source}; ${target} = ${value}; }`,
      ].join("\n");
    })
    .join("\n");
  const permutation = s.usesData
    ? `    if (lid == 0u) {
      // Fisher-Yates exactly as counterPermutation in src/util/counter-rng.ts.
      let key = derive_key(status[member * 2u], t);
      let base = member * ${s.P}u;
      for (var q = 0u; q < ${s.P}u + no_unroll; q++) { perm[base + q] = q; }
      for (var q = ${s.P - 1}u + no_unroll; q > 0u; q--) {
        let r = counter_u32(key, q) % (q + 1u);
        let tmp = perm[base + q];
        perm[base + q] = perm[base + r];
        perm[base + r] = tmp;
      }
    }
    sync();
`
    : "";
  return `@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  member = wid.x;
  no_unroll = dispatch.no_unroll;
  ${setBases(layout, s.scratchWords)}
  if (lid == 0u) { dead = status[member * 2u + 1u]; }
  if (workgroupUniformLoad(&dead) != 0u) { return; }
  for (var t = dispatch.epoch0; t < dispatch.epoch0 + dispatch.epochs; t++) {
${permutation}    for (var step = 0u; step < ${s.stepsPerEpoch}u + dispatch.no_unroll; step++) {
${s.usesData ? `      pbase = member * ${s.P}u + step * ${s.S}u;\n` : ""}${phases}
      // Commit: norms of the ${NS} new state(s), the failure rule, renormalization.
${norms}
      sync();
      if (lid == 0u) {
        if (${verdict}) {
          dead = t + 1u;
          status[member * 2u + 1u] = t + 1u;
        } else {
${scales}
        }
      }
      let failed = workgroupUniformLoad(&dead) != 0u;
${writes}
      sync();
      if (failed) { break; }
    }
    if (workgroupUniformLoad(&dead) != 0u) { break; }
  }
}`;
}

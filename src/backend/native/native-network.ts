/**
 * A batch of runs of a compiled network rule on native code: the C source generated from the
 * rule's IR (rule-source.ts, from the same kernel list as the WebAssembly module), compiled once
 * per source and machine (native-compiler.ts) and loaded as a Node-API addon; each member has its
 * own memory (an ArrayBuffer at the plan's addresses), which the addon's functions receive. In
 * float64 the kernels evaluate every operation of the IR in its defined order, so the batch
 * equals the CPU interpreter's (src/backend/cpu-network.ts) bit for bit; in float32 it computes
 * the same operations rounded to float32, as cpu-wasm's float32 mode.
 */
import type { CompiledRule } from "../../ir/program.ts";
import type { NetworkInit } from "../backend.ts";
import { GeneratedNetworkBatch, PerRule } from "../wasm-network.ts";
import { loadAddon, nativeToolchain } from "./native-compiler.ts";
import { type RuleSource, type RuleSourceOptions, ruleSource } from "./rule-source.ts";

type HostCallback = (fn: number, src: number, dst: number, count: number) => void;

/** The functions of a rule's addon (rule-source.ts). */
interface RuleAddon {
  steps(memory: ArrayBuffer, count: number, host: HostCallback): number;
  errorTrain?(memory: ArrayBuffer, host: HostCallback): number;
  errorTest?(memory: ArrayBuffer, host: HostCallback): number;
}

interface Compiled {
  readonly source: RuleSource;
  readonly addon: RuleAddon;
}

const compiled = new PerRule<Compiled>();

/** The rule's source and addon, generated and loaded once per rule object and options (vector width: this CPU's). */
export function compiledRuleAddon(rule: CompiledRule, options: RuleSourceOptions = {}): Compiled {
  const full = { vectorBytes: nativeToolchain().vectorBytes, ...options };
  return compiled.get(rule, JSON.stringify(full), () => {
    const source = ruleSource(rule, full);
    return { source, addon: loadAddon<RuleAddon>(source.code) };
  });
}

export class NativeNetworkBatch extends GeneratedNetworkBatch {
  constructor(init: NetworkInit, options: RuleSourceOptions = {}) {
    const { source, addon } = compiledRuleAddon(init.rule, options);
    super("CpuNativeBackend.network", init, source.plan, (host) => {
      const memory = new ArrayBuffer(source.bytes);
      const fns = source.host.map((fn) => host(fn));
      const call: HostCallback = (fn, src, dst, count) => fns[fn]!(src, dst, count);
      return {
        memory,
        exports: {
          steps: (count) => addon.steps(memory, count, call),
          ...(addon.errorTrain
            ? {
                errorTrain: () => addon.errorTrain!(memory, call),
                errorTest: () => addon.errorTest!(memory, call),
              }
            : {}),
        },
      };
    });
  }
}

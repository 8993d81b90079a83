/**
 * The arithmetic peak of WebAssembly SIMD on this machine, as the roofline of the generated
 * kernels: a loop of `acc_k = acc_k + x_k * y` on 8 independent accumulators (f64x2, or f32x4),
 * no memory access, so the rate is what the multiply and add units give V8's code. Returns
 * multiply-add pairs (one multiply and one add, per element) per second of process CPU time.
 *
 * A matrix product of the protocol, in the IR's order (every product rounded, then added), needs
 * one pair per term; at this rate the two products of a step of seed 001's protocol take at least
 * 2 N M S / rate seconds, whatever the blocking.
 */
import { wasm } from "../src/backend/wasm-api.ts";
import { encodeModule } from "../src/backend/wasm-codegen/encode-module.ts";
import { countedLoop } from "../src/backend/wasm-codegen/loop-nest.ts";
import { ModuleBuilder } from "../src/backend/wasm-codegen/module-builder.ts";

const ACCUMULATORS = 8;

function peakModule(type: "f64x2" | "f32x4"): (iterations: number) => number {
  const m = new ModuleBuilder();
  const f = m.addFunction("run", { params: ["i32"], results: ["f64"] }, true);
  const scalar = type === "f64x2" ? "f64" : "f32";
  const accs = Array.from({ length: ACCUMULATORS }, () => f.local("v128", "acc"));
  const xs = Array.from({ length: ACCUMULATORS }, () => f.local("v128", "x"));
  const y = f.local("v128", "y");
  xs.forEach((x, k) => {
    f.op(`${scalar}.const`, 1 + k / 64)
      .op(`${type}.splat`)
      .op("local.set", x);
  });
  // y slightly below 1 and x near 1: the accumulators grow slowly and stay normal numbers.
  f.op(`${scalar}.const`, 1 - 1 / 1024)
    .op(`${type}.splat`)
    .op("local.set", y);
  // The iteration count is a parameter: an outer loop of param/1000 rounds of 1000.
  const outer = f.local("i32", "outer");
  f.op("local.get", 0).op("local.set", outer);
  f.op("loop");
  countedLoop(f, "k", 1000, () => {
    accs.forEach((a, k) => {
      f.op("local.get", a)
        .op("local.get", xs[k]!)
        .op("local.get", y)
        .op(`${type}.mul`)
        .op(`${type}.add`)
        .op("local.set", a);
    });
  });
  f.op("local.get", outer).op("i32.const", 1).op("i32.sub").op("local.tee", outer).op("br_if", 0).op("end");
  f.op("local.get", accs[0]!);
  for (const a of accs.slice(1)) f.op("local.get", a).op(`${type}.add`);
  f.op(`${type}.extract_lane`, 0);
  if (scalar === "f32") f.op("f64.promote_f32");
  const instance = new wasm.Instance(new wasm.Module(encodeModule(m)), {});
  return instance.exports.run as (iterations: number) => number;
}

/** Multiply-add pairs per second of CPU time (median of `repeats`), per element type. */
export function simdPeak(repeats = 5): { f64x2: number; f32x4: number } {
  const rate = (type: "f64x2" | "f32x4") => {
    const run = peakModule(type);
    run(10);
    const lanes = type === "f64x2" ? 2 : 4;
    const rounds = 20_000;
    const rates: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const c0 = process.cpuUsage();
      run(rounds);
      const c = process.cpuUsage(c0);
      rates.push((rounds * 1000 * ACCUMULATORS * lanes) / ((c.user + c.system) / 1e6));
    }
    return rates.sort((a, b) => a - b)[Math.floor(repeats / 2)]!;
  };
  return { f64x2: rate("f64x2"), f32x4: rate("f32x4") };
}

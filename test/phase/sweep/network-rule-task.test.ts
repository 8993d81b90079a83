/**
 * Sweep task kind "network-rule": a rule's own sizes, parameters and choices as the sweep's
 * parameters, the rule stored in the plan and covered by its hash, batches per shard equal to
 * tasks alone, failures with their epoch, and plans refused by name before anything runs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.ts";
import {
  type MergedSweep,
  parseDerivation,
  parseGrid,
  planSweep,
  runSweep,
  sbatchScript,
  writePlan,
} from "../../../src/phase/sweep/index.ts";
import { resolveSweepTask } from "../../../src/phase/sweep/tasks/index.ts";
import { networkRuleSource } from "../../../src/rules/load.ts";
import { TEST_RULES } from "../../backend/network-conformance.ts";

const tmp = mkdtempSync(join(tmpdir(), "learndyn-rule-sweep-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const rule = (ref: string) => ({ ref, text: networkRuleSource(ref).text });

/** A plan of the network-rule task: two epochs, one seed, one shard (grid and rule added per test). */
const planned = { task: "network-rule", constants: { epochs: 2 }, seeds: 1, shards: 1 };

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe('sweep task "network-rule"', () => {
  it("takes the rule's sizes, parameters and choices as its parameters", () => {
    const task = resolveSweepTask("test", "network-rule", rule("curl-descent-3"));
    expect(task.parameters.map((p) => p.name)).toEqual([
      "epochs",
      "lyapunov",
      "M",
      "N1",
      "N2",
      "P",
      "Q",
      "S",
      "alpha1",
      "alpha2",
      "alpha3",
      "lr",
      "phi",
    ]);
    expect(task.parameters.find((p) => p.name === "S")!.description).toBe("size (default P)");
    expect(task.parameters.find((p) => p.name === "phi")!.description).toBe(
      "linear | tanh | relu (default linear)",
    );
    expect(task.parameters.filter((p) => p.required).map((p) => p.name)).toEqual(["epochs"]);
  });

  it("gives in a batch (items at two sizes and two flip fractions) what each gives alone", async () => {
    const task = resolveSweepTask("test", "network-rule", rule("curl-descent-3"));
    const base = { N1: 4, N2: 3, P: 20, Q: 8, S: 5, epochs: 25 };
    const items = [
      { params: { ...base, M: 5, alpha1: 0.4 }, seed: 1 },
      { params: { ...base, M: 3, alpha2: 0.5, lyapunov: 0 }, seed: 2 },
      { params: { ...base, M: 5, phi: "tanh" }, seed: 3 },
    ];
    const batch = await task.runBatch!(items);
    for (const [k, it] of items.entries()) expect(await task.run(it.params, it.seed)).toEqual(batch[k]);
    const v = (batch[0] as { values: Record<string, unknown> }).values;
    expect(batch[0]!.status).toBe("ok");
    expect(v.sizes).toEqual({ M: 5, N1: 4, N2: 3, P: 20, Q: 8, S: 5 });
    expect([v.engine, v.backend]).toEqual(["compiled", "cpu"]);
    expect(typeof v.lyapunov).toBe("number");
    expect((batch[1] as { values: Record<string, unknown> }).values.lyapunov).toBeNull();
    expect(v.finalTestError as number).toBeLessThanOrEqual(v.peakTestError as number);
  });

  it("records a run whose states overflow as failed, with its epoch", async () => {
    const text = TEST_RULES["sign-mask"]!;
    const task = resolveSweepTask("test", "network-rule", { ref: "test:sign-mask", text });
    // A readout step of 1e300 with no renormalization of W2 overflows within the first epochs.
    const r = await task.run({ lr: 1e300, epochs: 30, lyapunov: 0 }, 2);
    expect(r.status).toBe("failed");
    if (r.status !== "failed") return;
    expect(r.reason).toMatch(/state norm was not finite/);
    expect(typeof r.where.epoch).toBe("number");
    expect(r.values!.failedAtEpoch).toBe(r.where.epoch);
  });

  it("stores the rule in the plan: its hash changes with the rule's text, and plans of other kinds have no rule", () => {
    const spec = { ...planned, grid: parseGrid("alphaH=0|0.5") };
    const a = planSweep({ ...spec, rule: rule("curl-descent") });
    expect(a.rule!.text).toContain("rule curl-descent");
    const edited = planSweep({
      ...spec,
      rule: { ...rule("curl-descent"), text: `${a.rule!.text}\n# edited\n` },
    });
    expect(edited.hash).not.toBe(a.hash);
    expect(planSweep({ ...spec, rule: rule("curl-descent") }).hash).toBe(a.hash);
    const ode = planSweep({ task: "ode-final", grid: parseGrid("mu=1"), seeds: 1, shards: 1 });
    expect("rule" in ode).toBe(false);
  });

  it("refuses plans by name before anything runs", () => {
    const spec = { ...planned, grid: parseGrid("M=2|3") };
    const cd3 = rule("curl-descent-3");
    expect(() => planSweep({ ...spec, grid: parseGrid("N=2"), rule: cd3 })).toThrow(
      /"N" must be a parameter of task "network-rule" \(epochs, lyapunov, M, N1, N2/,
    );
    expect(() => planSweep({ ...spec, grid: parseGrid("M=2.5"), rule: cd3 })).toThrow(
      /"M" must be an integer in \[1, 1000000\], received 2.5/,
    );
    expect(() => planSweep({ ...spec, grid: parseGrid("phi=gelu"), rule: cd3 })).toThrow(
      /"phi" must be one of linear, tanh, relu, received "gelu"/,
    );
    // A derived size must be an integer too (round() it): refused at the grid point.
    expect(() =>
      planSweep({ ...spec, grid: parseGrid("c=1"), derived: [parseDerivation("M=c*2.5")], rule: cd3 }),
    ).toThrow(
      /"grid point" must be parameters task "network-rule" accepts, received \{"epochs":2,"c":1,"M":2.5\}/,
    );
    expect(() => planSweep({ ...spec, constants: {}, rule: cd3 })).toThrow(/"epochs" must be given/);
    expect(() => planSweep(spec)).toThrow(/"rule" must be a rule for task kind "network-rule"/);
    expect(() => planSweep({ ...spec, task: "ode-final", rule: cd3 })).toThrow(
      /"rule" must be absent for task kind "ode-final"/,
    );
    const clash = TEST_RULES["sign-mask"]!.replace(
      "params alpha = 0.3, lr = 0.2",
      "params alpha = 0.3, lr = 0.2, epochs = 3",
    );
    expect(() => planSweep({ ...spec, rule: { ref: "clash", text: clash } })).toThrow(/declaring epochs/);
  });

  it("sweeps a rule written only in a file (plan, run, merge through the command line)", async () => {
    const file = join(tmp, "sign-mask.rule");
    writeFileSync(file, TEST_RULES["sign-mask"]!);
    const dir = join(tmp, "sweep");
    const planned = await run([
      "sweep",
      "plan",
      "--rule",
      file,
      "--grid",
      "alpha=0|0.5,M=3|5",
      "--set",
      "epochs=15",
      "--seeds",
      "2",
      "--shards",
      "2",
      "--out",
      dir,
    ]);
    expect(planned.code, planned.err).toBe(0);
    expect(planned.out).toMatch(/planned 8 network-rule tasks in 2 shards/);
    // The rule travels in the plan: the shards do not read the file again.
    rmSync(file);
    expect((await run(["sweep", "run", dir, "--shard", "0", "--shard", "1"])).code).toBe(0);
    expect((await run(["sweep", "merge", dir])).code).toBe(0);
    const merged = JSON.parse(readFileSync(join(dir, "merged.json"), "utf8")) as MergedSweep;
    expect(merged.counts).toEqual({ tasks: 8, ok: 8, failed: 0, missing: 0 });
    for (const row of merged.rows) {
      expect((row.values.sizes as Record<string, number>).M).toBe(row.params.M);
      expect(Number.isFinite(row.values.finalTestError as number)).toBe(true);
    }
    const csv = readFileSync(join(dir, "merged.csv"), "utf8").split("\n")[0]!;
    expect(csv).toBe(
      "id,seed,epochs,alpha,M,status,value.backend,value.dtype,value.engine,value.failedAtEpoch,value.finalTestError,value.finalTrainError,value.lyapunov,value.peakTestError,value.peakTrainError,value.q,value.sizes,reason,where",
    );
  }, 30_000);

  it("runs on a named backend in the --dtype given, in this process and in shard processes, and records it", async () => {
    const plannedRule = (name: string) => {
      const dir = join(tmp, name);
      writePlan(
        dir,
        planSweep({
          ...planned,
          rule: rule("curl-descent"),
          grid: parseGrid("alphaH=0|0.5"),
          constants: { epochs: 3, M: 6, N: 4, P: 12, Q: 5, S: 4, lyapunov: 0 },
        }),
      );
      return dir;
    };
    const rows = (dir: string) =>
      (JSON.parse(readFileSync(join(dir, "merged.json"), "utf8")) as MergedSweep).rows;
    const runs: Record<string, string> = {};
    for (const dtype of ["float32", "float64"]) {
      const dir = plannedRule(`dtype-${dtype}`);
      const r = await run(["sweep", "run", dir, "--shard", "0", "--backend", "cpu-wasm", "--dtype", dtype]);
      expect(r.code, r.err).toBe(0);
      expect((await run(["sweep", "merge", dir])).code).toBe(0);
      runs[dtype] = dir;
    }
    const [f32, f64] = [rows(runs.float32!), rows(runs.float64!)];
    expect(f32.map((row) => [row.values.backend, row.values.dtype])).toEqual([
      ["cpu-wasm", "float32"],
      ["cpu-wasm", "float32"],
    ]);
    expect(f64.every((row) => row.values.dtype === "float64")).toBe(true);
    // The float32 runs computed in float32: their errors are not the float64 bits.
    f32.forEach((row, k) => {
      expect(Number.isFinite(row.values.finalTestError as number)).toBe(true);
      expect(row.values.finalTestError).not.toBe(f64[k]!.values.finalTestError);
    });
    // Shard processes get the dtype too.
    const child = plannedRule("dtype-child");
    const summary = await runSweep(child, { backend: "cpu-threads", dtype: "float32", workers: 1 });
    expect(summary.missing, summary.processes.map((p) => p.stderr).join("\n")).toBe(0);
    expect((await run(["sweep", "merge", child])).code).toBe(0);
    expect(rows(child).map((row) => row.values.dtype)).toEqual(["float32", "float32"]);
    expect(sbatchScript(child, { backend: "cpu-wasm", dtype: "float32" })).toMatch(
      /"\$SLURM_ARRAY_TASK_ID" 'cpu-wasm' --dtype 'float32'\n/,
    );
  }, 60_000);

  it("refuses a --dtype for auto or one the backend does not compute in, before anything runs", async () => {
    const dir = join(tmp, "dtype-refused");
    writePlan(dir, planSweep({ ...planned, rule: rule("curl-descent"), grid: parseGrid("alphaH=0") }));
    const auto = await run(["sweep", "run", dir, "--shard", "0", "--dtype", "float32"]);
    expect(auto.code).toBe(2);
    expect(auto.err).toMatch(/--dtype.*a named --backend/);
    const cpu = await run(["sweep", "run", dir, "--shard", "0", "--backend", "cpu", "--dtype", "float32"]);
    expect(cpu.code).toBe(2);
    expect(cpu.err).toMatch(/dtype.*for cpu, one of float64/);
    expect(() => sbatchScript(dir, { dtype: "float32" })).toThrow(/a named --backend/);
    expect(() => sbatchScript(dir, { backend: "webgpu", dtype: "float64" })).toThrow(
      /for webgpu, one of float32/,
    );
  });
});

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  applyDerivations,
  gridPoints,
  loadPlan,
  parseDerivation,
  parseGrid,
  planPath,
  planSweep,
  readResult,
  resultPath,
  resultsDir,
  shardPath,
  shardTasks,
  writePlan,
} from "../../../src/phase/sweep/index.ts";

const tmp = mkdtempSync(join(tmpdir(), "learndyn-plan-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("grids", () => {
  it("parses ranges, single values and lists; points are the product, first axis slowest", () => {
    const axes = parseGrid("c=0.5:2:4,alphaH=0|1,T=220");
    expect(axes.map((a) => a.name)).toEqual(["c", "alphaH", "T"]);
    expect(axes[0]!.values).toEqual([0.5, 1, 1.5, 2]);
    expect(gridPoints(axes).slice(0, 3)).toEqual([
      { c: 0.5, alphaH: 0, T: 220 },
      { c: 0.5, alphaH: 1, T: 220 },
      { c: 1, alphaH: 0, T: 220 },
    ]);
    // lo + i (hi - lo)/(n - 1) with the end exactly hi, for an axis of 11 values on [0, 1].
    expect(parseGrid("a=0:1:11")[0]!.values.at(-1)).toBe(1);
    // Values that do not read as numbers are names (activations, rules).
    expect(parseGrid("activation=linear|tanh,x=1e3")).toEqual([
      { name: "activation", values: ["linear", "tanh"] },
      { name: "x", values: [1000] },
    ]);
  });

  it("names the bad part", () => {
    expect(() => parseGrid("c=0.1:2")).toThrow(
      /argument "grid axis c" must be lo:hi:count, received "0.1:2"/,
    );
    expect(() => parseGrid("c=0:1:2.5")).toThrow(/positive integer/);
    expect(() => parseGrid("c=0:x:3")).toThrow(/finite numbers/);
    expect(() => parseGrid("c=1,c=2")).toThrow(/"grid axis c" must be given once/);
    expect(() => parseGrid("1c=2")).toThrow(/name=lo:hi:count/);
    expect(() => parseGrid("act=tanh|a b")).toThrow(/numbers or names/);
  });
});

describe("derived parameters (seed 001, sec. 5: M + N = 220, c = M/N)", () => {
  const derived = [parseDerivation("M=round(c*T/(1+c))"), parseDerivation("N=T-M")];
  it("keeps M + N fixed and M/N close to c over a grid of c", () => {
    for (const c of parseGrid("c=0.1:2:20")[0]!.values as number[]) {
      const p = applyDerivations({ T: 220, c }, derived) as Record<string, number>;
      expect(p.M! + p.N!).toBe(220);
      // M is cT/(1+c) rounded: |M - cT/(1+c)| <= 1/2 exactly.
      expect(Math.abs(p.M! - (c * 220) / (1 + c))).toBeLessThanOrEqual(0.5);
    }
  });

  it("refuses undefined names and non-numeric results", () => {
    expect(() => applyDerivations({ c: 1 }, derived)).toThrow(/undefined: T/);
    expect(() => applyDerivations({ x: 0 }, [parseDerivation("y=1/x")])).toThrow(/finite numeric value/);
    expect(() => parseDerivation("M=round(c*")).toThrow(/a valid expression/);
    expect(() => applyDerivations({ act: "tanh" }, [parseDerivation("y=act+1")])).toThrow(
      /numeric parameters, received "act\+1" \(act is a name, not a number\)/,
    );
  });
});

describe("plans", () => {
  const spec = {
    task: "ode-final",
    grid: parseGrid("c=0.5:1.5:3"),
    constants: { t1: 2 },
    derived: [parseDerivation("mu=c/(1+c)")],
    seeds: 4,
    shards: 5,
  };

  it("enumerates grid x seeds with derived parameters, dealt round-robin into shards", () => {
    const plan = planSweep(spec);
    expect(plan.tasks).toHaveLength(12);
    expect(plan.tasks.map((t) => t.shard)).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1]);
    expect(plan.tasks[5]).toEqual({ id: 5, shard: 0, seed: 1, params: { t1: 2, c: 1, mu: 0.5 } });
    expect(planSweep(spec).hash).toBe(plan.hash);
    expect(planSweep({ ...spec, seeds: 5 }).hash).not.toBe(plan.hash);
    expect(planSweep({ ...spec, seed0: 1 }).hash).not.toBe(plan.hash);
  });

  it("refuses unknown tasks, unread parameters and missing required ones", () => {
    expect(() => planSweep({ ...spec, task: "nope" })).toThrow(/argument "task" must be one of ode-final/);
    expect(() => planSweep({ ...spec, constants: { t1: 2, muu: 1 } })).toThrow(
      /"muu" must be a parameter of task "ode-final"/,
    );
    expect(() => planSweep({ ...spec, derived: [] })).toThrow(/"c" must be a parameter/);
    expect(() => planSweep({ ...spec, grid: parseGrid("t1=1|2"), constants: {}, derived: [] })).toThrow(
      /"mu" must be given \(required by task "ode-final"/,
    );
    expect(() => planSweep({ ...spec, shards: 0 })).toThrow(/"shards" must be a positive integer/);
  });

  it("refuses a grid too large to plan before building it, with the bound and the count", () => {
    expect(() => parseGrid("mu=0:1:1e9")).toThrow(
      /parseGrid: values of grid axis mu bound of 1000000 exceeded \(reached 1000000000\)/,
    );
    const grid = parseGrid("mu=0:1:1000,t1=1:2:1000");
    expect(() => planSweep({ task: "ode-final", grid, seeds: 2, shards: 1 })).toThrow(
      /planSweep: tasks \(grid points × seeds\) bound of 1000000 exceeded \(reached 2000000\)/,
    );
  });

  it("writes plan and shards; the same plan again is a no-op, another plan is refused", () => {
    const dir = join(tmp, "a");
    const plan = planSweep(spec);
    writePlan(dir, plan);
    expect(loadPlan(dir).hash).toBe(plan.hash);
    expect(shardTasks(dir, plan, 0)).toEqual([0, 5, 10]);
    writePlan(dir, plan);
    const other = planSweep({ ...spec, seeds: 3 });
    expect(() => writePlan(dir, other)).toThrow(/holds another sweep plan \(hash [0-9a-f]{12}, this plan/);
  });

  it("detects an edited plan, and shard or result files of another plan", () => {
    const dir = join(tmp, "b");
    const plan = planSweep(spec);
    writePlan(dir, plan);
    const text = readFileSync(planPath(dir), "utf8");
    writeFileSync(planPath(dir), text.replace('"t1": 2', '"t1": 3'));
    expect(() => loadPlan(dir)).toThrow(/does not match its hash/);
    writeFileSync(planPath(dir), text);

    const foreign = { planHash: "f".repeat(64), id: 0, seed: 0, params: {}, status: "ok", values: {} };
    mkdirSync(resultsDir(dir), { recursive: true });
    writeFileSync(resultPath(dir, 0), JSON.stringify(foreign));
    expect(() => readResult(dir, plan, 0)).toThrow(
      /belongs to another plan \(its hash ffffffffffff, plan.json's [0-9a-f]{12}\)/,
    );
    writeFileSync(shardPath(dir, 1), JSON.stringify({ planHash: "e".repeat(64), shard: 1, tasks: [1] }));
    expect(() => shardTasks(dir, plan, 1)).toThrow(/belongs to another plan/);
  });
});

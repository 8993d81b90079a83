import { describe, expect, it } from "vitest";
import { cpuBackend } from "../../src/backend/cpu.ts";
import { builtinNetworkRule } from "../../src/rules/network/builtin-network-rules.ts";
import { ModelCache } from "../../src/sim/rule-run.ts";
import { simulateRuns } from "../../src/sim/simulate.ts";
import { simulationProgress } from "../../src/sim/simulation-progress.ts";

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, write: (s: string) => written.push(s) > 0, written } as unknown as NodeJS.WriteStream & {
    written: string[];
  };
}

describe("simulationProgress", () => {
  it("counts epochs times batches over several calls, the total known at the first report", () => {
    const s = stream(true);
    let t = 0;
    const p = simulationProgress("sim", 2, { stream: s, now: () => t });
    // Two calls of 10 epochs in 2 batches each: 40 units.
    for (const call of [0, 1]) {
      if (call > 0) p.next();
      for (const index of [0, 1]) {
        t += 200;
        p.onProgress(10, 10, { index, count: 2 });
      }
    }
    p.done();
    expect(s.written.at(-1)).toMatch(/^\rsim \[#+\] 40\/40 .*\n$/);
    expect(s.written[0]).toMatch(/^\rsim \[#{6}-{18}\] 10\/40 /);
  });

  it("renders while a real simulation runs when forced, and is silent off a terminal", async () => {
    const cache = new ModelCache(builtinNetworkRule("curl-descent"));
    const runs = [cache.run({ M: 4, N: 3, P: 20, Q: 10, S: 10 }, 0)];
    for (const [enabled, isTTY] of [
      [true, false],
      [undefined, false],
    ] as const) {
      const s = stream(isTTY);
      const p = simulationProgress("simulate", 1, { stream: s, ...(enabled ? { enabled } : {}) });
      await simulateRuns(cpuBackend(), runs, { epochs: 30, lyapunov: true, onProgress: p.onProgress });
      p.done();
      if (enabled) expect(s.written.at(-1)).toMatch(/^\rsimulate \[#{24}\] 30\/30 [\d.]+\/s ETA 0s\n$/);
      else expect(s.written).toEqual([]);
    }
  });
});

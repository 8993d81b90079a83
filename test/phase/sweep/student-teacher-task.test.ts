import { describe, expect, it } from "vitest";
import { sweepTasks } from "../../../src/phase/sweep/tasks/index.ts";

describe('sweep task "student-teacher"', () => {
  const task = sweepTasks["student-teacher"]!;

  it("gives in a batch what it gives alone", async () => {
    const params = { M: 6, N: 5, alphaH: 0.2, epochs: 30, lyapunov: 0 };
    const items = [
      { params, seed: 1 },
      { params: { ...params, alphaH: 0, rule: "gradient-descent" }, seed: 2 },
    ];
    const batch = await task.runBatch!(items);
    expect(await task.run(items[0]!.params, 1)).toEqual(batch[0]);
    expect(batch[0]!.status).toBe("ok");
    const values = (batch[0] as { values: Record<string, number> }).values;
    expect(values.finalTestError!).toBeLessThan(values.peakTestError!);
  });

  it("refuses parameters that are not numbers or known names", async () => {
    await expect(task.run({ M: 4, N: 4, epochs: 5, activation: "gelu" }, 0)).rejects.toThrow(/activation/);
    await expect(task.run({ M: 4, N: 4 }, 0)).rejects.toThrow(/epochs/);
  });
});

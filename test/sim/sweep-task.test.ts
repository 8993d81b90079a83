import { describe, expect, it } from "vitest";
import { splitTotal, studentTeacherTask, studentTeacherTasks } from "../../src/sim/sweep-task.ts";

describe("student-teacher sweep task", () => {
  it("splits M + N = total by the compression ratio c = M / N", () => {
    expect(splitTotal(1, 220)).toEqual({ M: 110, N: 110 });
    expect(splitTotal(0.1, 220)).toEqual({ M: 20, N: 200 });
    expect(splitTotal(1e-6, 10)).toEqual({ M: 1, N: 9 });
    expect(() => splitTotal(-1, 220)).toThrow(/"c"/);
  });

  it("gives in a batch of items the record each item gives alone", async () => {
    const params = { c: 0.5, total: 24, alphaH: 0.25, epochs: 50, lyapunov: false };
    const items = [0, 1, 2].map((seed) => ({ params, seed }));
    const batch = await studentTeacherTasks(items);
    const alone = await studentTeacherTask(params, 1);
    expect(alone).toEqual(batch[1]);
    expect(alone.M).toBe(8);
    expect(alone.N).toBe(16);
    expect(alone.finalTestError).toBeLessThan(batch[1]!.peakTestError);
  });

  it("uses M and N when they are given beside c (a grid over c with derived sizes)", async () => {
    // As planned by --grid c=... --set T=30 --derive 'M=round(c*T/(1+c))' --derive 'N=T-M'.
    const r = await studentTeacherTask({ c: 0.5, M: 10, N: 20, epochs: 1, lyapunov: false }, 0);
    expect([r.M, r.N]).toEqual([10, 20]);
    await expect(studentTeacherTask({ M: 10, N: 20, total: 40, epochs: 1 }, 0)).rejects.toThrow(
      /"total" must be M \+ N = 30/,
    );
    await expect(studentTeacherTask({ c: 0.5, M: 10, epochs: 1 }, 0)).rejects.toThrow(
      /"params" must be c \(with total\) or both M and N/,
    );
  });
});

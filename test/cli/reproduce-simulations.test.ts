import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";

describe("learndyn reproduce-simulations", () => {
  it("writes JSON with paired statistics and figures (tiny scale: the pipeline, not the claims)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "learndyn-repro-"));
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
    // The default backend, auto (restricted to the cpu backend in the tests: vitest.config.ts).
    expect(await main(["reproduce-simulations", "--out", dir, "--scale", "tiny"], io)).toBe(0);
    for (const f of ["fig5b", "urfb-fig4", "chaos-readout-lyapunov", "chaos-example-pca"]) {
      expect(existsSync(join(dir, `${f}.svg`))).toBe(true);
      expect(existsSync(join(dir, `${f}.png`))).toBe(true);
    }
    const fig5 = JSON.parse(readFileSync(join(dir, "fig5b.json"), "utf8"));
    expect(fig5.comparisons.at(-1).curlVsGradient.pTTest).toBeGreaterThanOrEqual(0);
    expect(fig5.comparisons.at(-1).curlVsGradient.pTTest).toBeLessThanOrEqual(1);
    expect(fig5.sizes.seeds).toBe(3);
    const chaos = JSON.parse(readFileSync(join(dir, "chaos-readout.json"), "utf8"));
    expect(chaos.rows).toHaveLength(2);
    const summary = JSON.parse(out.join(""));
    expect(Object.keys(summary)).toEqual(["scale", "fig5b", "urfb", "chaos"]);
    // Each part chose its backend, printed the choice and recorded it in its own JSON.
    const urfb = JSON.parse(readFileSync(join(dir, "urfb-fig4.json"), "utf8"));
    for (const [part, json] of [
      ["fig5b", fig5],
      ["urfb", urfb],
      ["chaos", chaos],
    ] as const) {
      expect(json.backend).toBe("cpu");
      expect(json.backendChoice).toMatchObject({ requested: "auto", chosen: "cpu" });
      expect(summary[part].backendChoice).toEqual(json.backendChoice);
      expect(err).toContain(`reproduce-simulations: ${part}: ${json.backendChoice.summary}`);
    }
  });

  it("refuses an unknown part", async () => {
    const err: string[] = [];
    const io = { out: () => {}, err: (s: string) => err.push(s) };
    expect(await main(["reproduce-simulations", "--out", tmpdir(), "--only", "fig9"], io)).toBe(2);
    expect(err.join("")).toMatch(/--only/);
  });
});

import { afterEach, describe, expect, it, vi } from "vitest";
import { type ClaimReport, registerClaimCatalog } from "../../src/cli/claim-catalog.ts";
import { checkCommand } from "../../src/cli/commands/check.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

/** A two-claim catalog that records which claims it was asked to run. */
function fakeCatalog() {
  const runs: { seed?: string; claimId?: string }[] = [];
  const claims = [
    { id: "001.a", seed: "001" as const },
    { id: "002.b", seed: "002" as const },
  ];
  registerClaimCatalog({
    claims: () => claims,
    run(options) {
      runs.push(options);
      const selected = claims
        .filter((c) => options.seed === undefined || c.seed === options.seed)
        .filter((c) => options.claimId === undefined || c.id === options.claimId);
      return selected.map((c, k): ClaimReport => {
        options.onClaim?.(k + 1, selected.length);
        return {
          id: c.id,
          seed: c.seed,
          statement: "s",
          citation: { file: "f", section: "x" },
          verdict: "holds",
          recorded: "holds",
          margin: 0,
          marginUnit: "u",
          tolerance: "exact",
          runSeed: 1,
          runs: 1,
        };
      });
    },
  });
  return runs;
}

describe("learndyn check", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("draws a progress bar over the claims on stderr when forced, and none off a terminal", async () => {
    fakeCatalog();
    const drawn: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((s) => drawn.push(String(s)) > 0);
    vi.stubEnv("LEARNDYN_PROGRESS", "0");
    expect(await checkCommand.run(["--json"], capture().io)).toBe(0);
    expect(drawn).toEqual([]);
    vi.stubEnv("LEARNDYN_PROGRESS", "1");
    expect(await checkCommand.run(["--json"], capture().io)).toBe(0);
    expect(drawn.at(-1)).toMatch(/^\rcheck \[#{24}\] 2\/2 [\d.]+\/s ETA (0s|--)\n$/);
  });

  it("runs one claim selected by --claim", async () => {
    const runs = fakeCatalog();
    const c = capture();
    expect(await checkCommand.run(["--claim", "002.b", "--json"], c.io)).toBe(0);
    expect(JSON.parse(c.out.join("")).claims.map((r: ClaimReport) => r.id)).toEqual(["002.b"]);
    expect(runs).toHaveLength(1);
  });

  it("refuses a --claim of another seed than --seed instead of running nothing", async () => {
    const runs = fakeCatalog();
    const c = capture();
    await expect(checkCommand.run(["--seed", "001", "--claim", "002.b"], c.io)).rejects.toThrow(
      /check: argument "--claim" must be a claim id \(valid: 001\.a\), received "002\.b"/,
    );
    expect(runs).toHaveLength(0);
  });
});

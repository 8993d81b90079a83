/**
 * Abusive command-line arguments: every one is refused before any work with a message that names
 * the argument, what was expected and what came, exit code 2, and no stack trace.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinNegativeNumberValues, numberOption } from "../../src/cli/args.ts";
import { type ClaimReport, registerClaimCatalog } from "../../src/cli/claim-catalog.ts";
import { slurmTimeOption } from "../../src/cli/commands/sweep.ts";
import { main } from "../../src/cli/main.ts";
import { parameterCount } from "../../src/sim/rnn/params.ts";

const tmp = mkdtempSync(join(tmpdir(), "learndyn-arguments-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

/** Runs the CLI; a thrown error (a stack trace on the terminal) fails the test by itself. */
async function refused(argv: string[], message: RegExp): Promise<void> {
  const c = capture();
  const code = await main(argv, c.io);
  expect(c.err.join("\n")).toMatch(message);
  expect(code).toBe(2);
}

beforeAll(() => {
  const claim = { id: "001.x", seed: "001" as const };
  registerClaimCatalog({
    claims: () => [claim],
    run: () => [
      {
        ...claim,
        statement: "s",
        citation: { file: "f", section: "x" },
        verdict: "holds",
        recorded: "holds",
        margin: 1,
        runSeed: 1,
      } as unknown as ClaimReport,
    ],
  });
});

/** A cheap, otherwise valid call of each command that writes --out (FILE or DIR). */
const fileCommands: Record<string, string[]> = {
  simulate: [
    "simulate",
    "curl-descent",
    "--M",
    "3",
    "--N",
    "3",
    "--epochs",
    "1",
    "--no-lyapunov",
    "--n-train",
    "10",
    "--batch",
    "10",
    "--n-test",
    "5",
  ],
  check: ["check", "--claim", "001.x"],
  rnn: ["rnn", "train", "--task", "pattern", "--n", "3", "--T", "3", "--steps", "1", "--lr", "0.001"],
};
const folderCommands: Record<string, string[]> = {
  phase: ["phase", "curl-descent", "--layer", "hidden", "--alphas", "0.5", "--nc", "2", "--nalpha", "2"],
  "sweep plan": ["sweep", "plan", "--task", "ode-final", "--grid", "mu=1|2", "--seeds", "1", "--shards", "1"],
};

describe("--out paths", () => {
  const file = join(tmp, "a-file");
  const folder = join(tmp, "a-folder");
  beforeAll(() => {
    writeFileSync(file, "keep me");
    mkdirSync(folder);
  });

  for (const [name, argv] of Object.entries(fileCommands)) {
    it(`${name}: a folder, a path below a file, an existing file`, async () => {
      await refused(
        [...argv, "--out", folder],
        /argument "--out" must be a file path that can be written.*it is a folder/,
      );
      await refused(
        [...argv, "--out", join(file, "x.json")],
        /argument "--out" must be a file path that can be written.*a-file is a file, not a folder/,
      );
      await refused(
        [...argv, "--out", file],
        /"--out" must be a path with no file yet.*give --force to replace it/,
      );
      expect(readFileSync(file, "utf8")).toBe("keep me");
    });
  }

  it("replaces an existing file with --force", async () => {
    const target = join(tmp, "forced.json");
    writeFileSync(target, "old");
    expect(await main([...fileCommands.check!, "--out", target, "--force"], capture().io)).toBe(0);
    expect(JSON.parse(readFileSync(target, "utf8")).claims).toHaveLength(1);
  });

  for (const [name, argv] of Object.entries(folderCommands)) {
    it(`${name}: a file where a folder is needed, itself or a parent`, async () => {
      await refused(
        [...argv, "--out", file],
        /argument "--out" must be a folder that can be written.*it is a file/,
      );
      await refused([...argv, "--out", join(file, "sub")], /a-file is a file, not a folder/);
    });
  }

  // Root writes through permission bits, so an unwritable folder is found by trying; /proc
  // refuses new files to every user.
  it("an unwritable folder (simulate, phase)", async () => {
    await refused([...fileCommands.simulate!, "--out", "/proc/learndyn/x.json"], /\/proc cannot be written/);
    await refused([...folderCommands.phase!, "--out", "/proc/learndyn"], /\/proc cannot be written/);
  });

  it.skipIf(process.getuid?.() === 0)(
    "a folder without write permission (not checkable as root)",
    async () => {
      const locked = join(tmp, "locked");
      mkdirSync(locked);
      chmodSync(locked, 0o555);
      await refused(
        [...fileCommands.simulate!, "--out", join(locked, "x.json")],
        /cannot be written: no permission/,
      );
      chmodSync(locked, 0o755);
    },
  );

  it("leaves nothing behind when it refuses", () => {
    expect(readdirSync(tmp).sort()).toEqual(["a-file", "a-folder", "forced.json"]);
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe("numbers", () => {
  it("decimal notation only: --c 0x10, --set M=0x10, a grid 0x10 are refused", async () => {
    await refused(
      ["spectrum", "curl-descent", "--c", "0x10"],
      /"--c" must be a number > 0, received "0x10" \(decimal notation only/,
    );
    await refused(
      [...fileCommands.simulate!, "--M", "0b11"],
      /"--M" must be an integer >= 1, received "0b11"/,
    );
    await refused(
      ["compile", "curl-descent", "--set", "M=0x10"],
      /"--set" must be NAME=NUMBER or NAME=WORD, received "M=0x10"/,
    );
    await refused(
      [...folderCommands["sweep plan"]!.slice(0, 4), "--grid", "mu=0x10", "--out", join(tmp, "p")],
      /"grid axis mu" must be numbers or names.*received "0x10"/,
    );
    for (const text of ["Infinity", "1e400", " ", "1_000", "0o7", "+-1"]) {
      expect(() => numberOption("x", "n", text)).toThrow(/argument "--n" must be a number/);
    }
    for (const [text, x] of [
      ["16", 16],
      ["-1.5e-3", -1.5e-3],
      [".5", 0.5],
      ["5.", 5],
      ["+2", 2],
    ] as const) {
      expect(numberOption("x", "n", text)).toBe(x);
    }
  });

  it("--seed -1 is read as a value and refused by its range", async () => {
    await refused(
      [...fileCommands.simulate!, "--seed", "-1"],
      /"--seed" must be an integer >= 0 <= 4294967295, received "-1"/,
    );
    expect(joinNegativeNumberValues(["--a", "-1", "--b", "-x", "--", "--c", "-2"])).toEqual([
      "--a=-1",
      "--b",
      "-x",
      "--",
      "--c",
      "-2",
    ]);
  });

  it("simulate refuses a tensor too large to allocate and says how much it would need", async () => {
    await refused(
      ["simulate", "curl-descent", "--M", "100000", "--N", "100000", "--epochs", "1"],
      /W1 would hold 100000 x 100000 = 10000000000 entries \(74.5 GiB in float64\)/,
    );
  });

  it("simulate checks memory before allocating and says how much it would need", async () => {
    await refused(
      [
        ...fileCommands.simulate!.slice(0, 2),
        "--M",
        "8000",
        "--N",
        "8000",
        "--seeds",
        "10000",
        "--epochs",
        "1",
      ],
      /(simulateRuns|calibrationWorkload): memory \(bytes available\) bound of \d+ exceeded \(reached [\d.]+ TiB needed for 10000 run\(s\) and their Lyapunov twins, [\d.]+ \w+ available\)/,
    );
  });
});

describe("sweep arguments", () => {
  it("--shards is bounded by the number of tasks", async () => {
    const dir = join(tmp, "shards");
    const argv = ["sweep", "plan", "--task", "ode-final", "--grid", "mu=1|2", "--seeds", "2", "--out", dir];
    await refused(
      [...argv, "--shards", "1000000000"],
      /"--shards" must be an integer from 1 to the number of tasks \(4\), received "1000000000"/,
    );
    expect(readdirSync(tmp)).not.toContain("shards");
    expect(await main([...argv, "--shards", "4"], capture().io)).toBe(0);
  });

  it("sbatch --time takes Slurm's forms only", async () => {
    const dir = join(tmp, "sbatch");
    expect(
      await main(
        [
          "sweep",
          "plan",
          "--task",
          "ode-final",
          "--grid",
          "mu=1",
          "--seeds",
          "1",
          "--shards",
          "1",
          "--out",
          dir,
        ],
        capture().io,
      ),
    ).toBe(0);
    await refused(
      ["sweep", "sbatch", dir, "--time", "garbage"],
      /"--time" must be a Slurm time limit.*received "garbage"/,
    );
    for (const bad of ["1:60:00", "2-24", "1:2:3:4", "-5", "10h"])
      expect(() => slurmTimeOption(bad)).toThrow(/--time/);
    for (const ok of ["90", "30:00", "02:00:00", "1-12", "1-12:30", "1-12:30:00", "UNLIMITED"]) {
      expect(slurmTimeOption(ok)).toBe(ok);
    }
    expect(await main(["sweep", "sbatch", dir, "--time", "1-00:00:00"], capture().io)).toBe(0);
    expect(readFileSync(join(dir, "sweep.sbatch"), "utf8")).toMatch(/#SBATCH --time=1-00:00:00/);
  });
});

describe("hessian --net validates the saved network against its format", () => {
  const valid = {
    format: "learndyn-rnn/1",
    task: "pattern",
    taskOptions: { seed: 0, n: 2, steps: 3 },
    config: { n: 2, nIn: 1, nOut: 1, alpha: 0, beta: 0.5, adaptive: [0, 0] },
    training: {},
  };
  const save = (name: string, net: unknown) => {
    const path = join(tmp, name);
    writeFileSync(path, JSON.stringify(net));
    return path;
  };

  it("refuses missing fields, strings for weights and wrong shapes by name", async () => {
    const { config: _c, ...noConfig } = valid;
    await refused(
      ["hessian", "--net", save("no-config.json", noConfig)],
      /argument "config" must be an object, received undefined/,
    );
    const count = parameterCount({ ...valid.config, adaptive: Uint8Array.from(valid.config.adaptive) });
    const strings = { ...valid, theta: Array.from({ length: count }, () => "0.1") };
    await refused(
      ["hessian", "--net", save("strings.json", strings)],
      /argument "theta\[0\]" must be a finite number, received "0.1"/,
    );
    const short = { ...valid, theta: [0.1] };
    await refused(["hessian", "--net", save("short.json", short)], /"theta" must be an array of \d+ weights/);
    const noN = { ...valid, config: { ...valid.config, n: "2" } };
    await refused(
      ["hessian", "--net", save("n.json", noN)],
      /"config.n" must be a positive integer, received "2"/,
    );
    const task = { ...valid, task: "mnist" };
    await refused(
      ["hessian", "--net", save("task.json", task)],
      /"task" must be one of pattern, dms, seqfashion/,
    );
  });
});

/**
 * `learndyn reproduce-simulations --out DIR`: the simulation results of seed 001 (Fig. 5b, chaos
 * past the hidden boundary, low error past the readout boundary) and seed 003 (Fig. 4), at a
 * reduced scale, with paired statistics over seeds, as JSON and figures.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { releaseBackend } from "../../backend/auto.ts";
import { backendOptionNames, chooseBackend } from "../../backend/choose-backend.ts";
import {
  REPRODUCTION_PARTS,
  type ReproductionPart,
  type ReproductionScale,
  reducedScale,
  reproduceChaosAndReadout,
  reproduceFig5b,
  reproduceUrfbFig4,
  reproductionRuns,
} from "../../report/simulation-reproductions.ts";
import { calibrationWorkload } from "../../sim/calibration-workload.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { toJson, writeJson } from "../../util/io.ts";
import { numberOption } from "../args.ts";
import type { Command } from "../command.ts";
import { outputFolderOption } from "../output-path.ts";

const parts = REPRODUCTION_PARTS;

/** A scale small enough for a smoke test (seconds), for checking the pipeline, not the claims. */
export const tinyScale: ReproductionScale = {
  seeds: 3,
  fig5Epochs: 20,
  fig5TrainCount: 100,
  urfbIterations: 40,
  urfbWidths: [6, 8, 8, 3],
  phaseTotal: 12,
  phaseEpochs: 60,
  phaseRatios: [0.2, 1],
};

const usage = `usage: learndyn reproduce-simulations --out DIR [options]

Reproduces, at a reduced scale stated in each JSON, with paired t-tests and sign tests over seeds:
  fig5b  seed 001 Fig. 5b: one flipped readout neuron converges faster than gradient descent
  urfb   seed 003 Fig. 4: URFB converges faster as epsilon grows from 0 to 1
  chaos  seed 001 section 5: chaos past the hidden boundary, low error past the readout boundary

options:
  --out DIR        output directory (JSON, SVG, PNG)
  --only LIST      comma-separated subset of: ${parts.join(", ")}
  --seeds K        seeds per condition (default ${reducedScale.seeds})
  --scale s        reduced (default) | tiny (a smoke test of the pipeline)
  --backend name   ${backendOptionNames().join(" | ")} (default auto: per part, the fastest
                   backend that passes a check against the float64 interpreter on that part's
                   runs; the choice and why are printed and recorded in each part's JSON)

A progress bar with rate and ETA is drawn for each part when stderr is a terminal.`;

export const reproduceSimulationsCommand: Command = {
  name: "reproduce-simulations",
  summary: "reproduce the seed papers' simulation results with statistics over seeds",
  usage,
  async run(argv, io) {
    const fn = "reproduce-simulations";
    const { values } = parseArgs({
      args: argv,
      options: {
        out: { type: "string" },
        only: { type: "string" },
        seeds: { type: "string" },
        scale: { type: "string" },
        backend: { type: "string" },
      },
    });
    if (!values.out) throw new InvalidArgumentError(fn, "--out", "a directory", "nothing");
    outputFolderOption(fn, "--out", values.out);
    const base = values.scale === "tiny" ? tinyScale : reducedScale;
    if (values.scale !== undefined && values.scale !== "tiny" && values.scale !== "reduced") {
      throw new InvalidArgumentError(fn, "--scale", "reduced or tiny", values.scale);
    }
    const scale = {
      ...base,
      seeds: numberOption(fn, "seeds", values.seeds, { integer: true, min: 2 }, base.seeds),
    };
    const only = values.only ? values.only.split(",").map((s) => s.trim()) : [...parts];
    for (const p of only) {
      if (!(parts as readonly string[]).includes(p))
        throw new InvalidArgumentError(fn, "--only", `items of ${parts.join(", ")}`, p);
    }
    mkdirSync(values.out, { recursive: true });
    const summary: Record<string, unknown> = { scale };
    for (const p of only as ReproductionPart[]) {
      const t0 = performance.now();
      io.err(`reproduce-simulations: ${p} ...`);
      const { backend, choice } = await chooseBackend(fn, values.backend ?? "auto", () => {
        const { runs, lyapunov } = reproductionRuns(p, scale);
        return calibrationWorkload(runs, lyapunov);
      });
      if (choice) io.err(`reproduce-simulations: ${p}: ${choice.summary}`);
      const options = { record: choice ? { backendChoice: choice } : {} };
      const verdict =
        p === "fig5b"
          ? await reproduceFig5b(backend, scale, values.out, options)
          : p === "urfb"
            ? await reproduceUrfbFig4(backend, scale, values.out, options)
            : await reproduceChaosAndReadout(backend, scale, values.out, options);
      releaseBackend(backend);
      summary[p] = {
        ...verdict,
        backend: backend.name,
        ...(choice ? { backendChoice: choice } : {}),
        seconds: (performance.now() - t0) / 1000,
      };
    }
    writeJson(join(values.out, "summary.json"), summary);
    io.out(toJson(summary));
    return 0;
  },
};

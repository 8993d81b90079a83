/**
 * A progress bar (src/util/progress.ts: rate and ETA on a terminal, silent otherwise) over the
 * epochs of one or more simulateRuns calls: `onProgress` is their SimulationOptions.onProgress,
 * `next()` is called between calls, `done()` at the end. The bar counts epochs times batches;
 * its total, `calls` times the first call's epochs times batches, is known at the first report.
 */
import { type Progress, type ProgressOptions, progressBar } from "../util/progress.ts";
import type { SimulationOptions } from "./simulate.ts";

export interface SimulationProgress {
  readonly onProgress: NonNullable<SimulationOptions["onProgress"]>;
  /** The next simulateRuns call starts. */
  next(): void;
  done(): void;
}

export function simulationProgress(
  label: string,
  calls = 1,
  options: ProgressOptions = {},
): SimulationProgress {
  let bar: Progress | undefined;
  let call = 0;
  let perCall = 0;
  let shown = 0;
  return {
    onProgress(done, total, batch) {
      if (bar === undefined) {
        perCall = total * batch.count;
        bar = progressBar(label, calls * perCall, options);
      }
      const overall = call * perCall + batch.index * total + done;
      if (overall > shown) bar.tick(overall - shown);
      shown = Math.max(shown, overall);
    },
    next() {
      call++;
    },
    done() {
      bar?.done();
    },
  };
}

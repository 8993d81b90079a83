/**
 * The learning dynamics at a clicked point, run in a Web Worker (simulation-worker.ts) and drawn
 * as the epochs arrive: train and test error of one curl-descent run at M + N = 60.
 */
import * as Plot from "@observablehq/plot";
import type { SimulationMessage, SimulationRequest } from "./simulation-worker.ts";

export const SIMULATION_TOTAL = 60;
export const SIMULATION_EPOCHS = 300;

let worker: Worker | null = null;

/** Starts (or restarts) the run; `host` is redrawn as it goes. */
export function runSimulation(host: HTMLElement, request: Omit<SimulationRequest, "total" | "epochs">): void {
  worker?.terminate();
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  const points: { epoch: number; error: number; set: string }[] = [];
  let sizes = "";
  let status = "running";
  let pending = false;
  const redraw = () => {
    pending = false;
    host.replaceChildren(
      Plot.plot({
        width: 560,
        height: 240,
        x: { label: "epoch", domain: [0, SIMULATION_EPOCHS] },
        y: { type: "log", label: "error", grid: true },
        color: { legend: true, domain: ["train", "test"], range: ["#1f4e9e", "#c33"] },
        caption: `curl descent at ${sizes} (rules/curl-descent.rule, float64 interpreter in a worker): ${status}`,
        marks: [Plot.line(points, { x: "epoch", y: "error", stroke: "set" })],
      }),
    );
    host.dataset.epochs = String(points.length / 2);
    host.dataset.status = status;
  };
  const schedule = () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(redraw);
    }
  };
  worker.onmessage = (event: MessageEvent<SimulationMessage>) => {
    const m = event.data;
    if (m.kind === "start") sizes = `M = ${m.M}, N = ${m.N}`;
    else if (m.kind === "epoch") {
      if (Number.isFinite(m.train) && m.train > 0) points.push({ epoch: m.epoch, error: m.train, set: "train" });
      if (Number.isFinite(m.test) && m.test > 0) points.push({ epoch: m.epoch, error: m.test, set: "test" });
    } else if (m.kind === "done") {
      status = m.failedAtEpoch === null ? "done" : `diverged at epoch ${m.failedAtEpoch}`;
    } else status = `error: ${m.message}`;
    schedule();
  };
  worker.postMessage({ ...request, total: SIMULATION_TOTAL, epochs: SIMULATION_EPOCHS } satisfies SimulationRequest);
  redraw();
}

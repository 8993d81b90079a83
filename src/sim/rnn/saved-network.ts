/**
 * A trained network saved as JSON: the task it was trained on (name and options, so the same
 * data and evaluation batch can be rebuilt), the architecture, the flat weights θ, and how it
 * was trained.
 */
import { readFileSync } from "node:fs";
import { InvalidArgumentError } from "../../util/errors.ts";
import { writeJson } from "../../util/io.ts";
import type { RnnConfig } from "./network.ts";
import { parameterCount } from "./params.ts";
import { type TaskName, type TaskOptions, taskNames } from "./tasks/task.ts";

export const savedNetworkFormat = "learndyn-rnn/1";

export interface SavedNetwork {
  format: typeof savedNetworkFormat;
  task: TaskName;
  taskOptions: TaskOptions;
  config: RnnConfig;
  theta: Float64Array;
  training: Record<string, unknown>;
}

export function saveNetwork(path: string, net: Omit<SavedNetwork, "format">): void {
  writeJson(path, {
    format: savedNetworkFormat,
    task: net.task,
    taskOptions: net.taskOptions,
    config: { ...net.config, adaptive: Array.from(net.config.adaptive) },
    theta: Array.from(net.theta),
    training: net.training,
  });
}

/**
 * Reads a network saved by {@link saveNetwork} and checks it against the format field by field:
 * a missing or mistyped field is refused by name (the path inside the file, what was expected
 * and what came), so no NaN weight or undefined size reaches a computation.
 */
export function loadNetwork(path: string): SavedNetwork {
  const fn = "loadNetwork";
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new InvalidArgumentError(
      fn,
      "path",
      "a readable JSON file written by `learndyn rnn train --out`",
      path,
      (e as Error).message,
    );
  }
  const bad = (field: string, expected: string, received: unknown): never => {
    throw new InvalidArgumentError(fn, field, expected, received, `in ${path}`);
  };
  const object = (field: string, x: unknown): Record<string, unknown> =>
    x !== null && typeof x === "object" && !Array.isArray(x)
      ? (x as Record<string, unknown>)
      : bad(field, "an object", x);
  const o = object("(top level)", raw);
  if (o.format !== savedNetworkFormat) bad("format", `"${savedNetworkFormat}"`, o.format);
  const task = o.task;
  if (typeof task !== "string" || !(taskNames as readonly string[]).includes(task)) {
    bad("task", `one of ${taskNames.join(", ")}`, task);
  }
  const c = object("config", o.config);
  const count = (field: string, x: unknown) =>
    typeof x === "number" && Number.isInteger(x) && x >= 1
      ? x
      : bad(`config.${field}`, "a positive integer", x);
  const unit = (field: string, x: unknown) =>
    typeof x === "number" && x >= 0 && x < 1 ? x : bad(`config.${field}`, "a number in [0, 1)", x);
  const n = count("n", c.n);
  const adaptive = c.adaptive;
  if (!Array.isArray(adaptive) || adaptive.length !== n || !adaptive.every((a) => a === 0 || a === 1)) {
    bad("config.adaptive", `an array of ${n} zeros and ones`, adaptive);
  }
  const config: RnnConfig = {
    n,
    nIn: count("nIn", c.nIn),
    nOut: count("nOut", c.nOut),
    alpha: unit("alpha", c.alpha),
    beta: unit("beta", c.beta),
    adaptive: Uint8Array.from(adaptive as number[]),
  };
  const weights = o.theta;
  const expected = parameterCount(config);
  if (!Array.isArray(weights) || weights.length !== expected) {
    bad(
      "theta",
      `an array of ${expected} weights for the saved config`,
      Array.isArray(weights) ? `${weights.length} entries` : weights,
    );
  }
  const at = (weights as unknown[]).findIndex((w) => typeof w !== "number" || !Number.isFinite(w));
  if (at >= 0) bad(`theta[${at}]`, "a finite number", (weights as unknown[])[at]);
  const taskOptions = o.taskOptions === undefined ? {} : object("taskOptions", o.taskOptions);
  const optionNames = ["seed", "n", "steps", "batchSize", "trainSize", "evalSize", "dataDir"];
  for (const [k, v] of Object.entries(taskOptions)) {
    if (!optionNames.includes(k)) bad("taskOptions", `options among ${optionNames.join(", ")}`, k);
    const ok =
      k === "dataDir" ? typeof v === "string" : typeof v === "number" && Number.isInteger(v) && v >= 0;
    if (!ok) bad(`taskOptions.${k}`, k === "dataDir" ? "a folder path" : "a non-negative integer", v);
  }
  return {
    format: savedNetworkFormat,
    task: task as TaskName,
    taskOptions: taskOptions as TaskOptions,
    config,
    theta: Float64Array.from(weights as number[]),
    training: o.training === undefined ? {} : object("training", o.training),
  };
}

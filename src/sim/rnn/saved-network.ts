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
import type { TaskName, TaskOptions } from "./tasks/task.ts";

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
  const o = raw as Record<string, unknown>;
  if (o?.format !== savedNetworkFormat) {
    throw new InvalidArgumentError(fn, "format", `"${savedNetworkFormat}"`, o?.format);
  }
  const c = o.config as Record<string, unknown>;
  const config: RnnConfig = {
    n: Number(c.n),
    nIn: Number(c.nIn),
    nOut: Number(c.nOut),
    alpha: Number(c.alpha),
    beta: Number(c.beta),
    adaptive: Uint8Array.from(c.adaptive as number[]),
  };
  const theta = Float64Array.from(o.theta as number[]);
  if (theta.length !== parameterCount(config) || config.adaptive.length !== config.n) {
    throw new InvalidArgumentError(
      fn,
      "theta",
      `${parameterCount(config)} weights for the saved config`,
      theta.length,
    );
  }
  return {
    format: savedNetworkFormat,
    task: o.task as TaskName,
    taskOptions: (o.taskOptions ?? {}) as TaskOptions,
    config,
    theta,
    training: (o.training ?? {}) as Record<string, unknown>,
  };
}

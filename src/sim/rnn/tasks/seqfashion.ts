/**
 * Sequential image classification row by row (seed 000, A.3): N = 128 plain units, N_in = 28
 * pixels of one row per step, T = 28 steps, 10 readouts with softmax cross-entropy at the last
 * step, SGD on minibatches. Seed 000 used MNIST; MNIST is not packaged here, so this task uses
 * Fashion-MNIST from Debian's `dataset-fashion-mnist` (/usr/share/datasets/fashion-mnist).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InvalidArgumentError, LearndynError, requirePositiveInteger } from "../../../util/errors.ts";
import { Rng } from "../../../util/random.ts";
import type { Batch } from "../batch.ts";
import { parseIdx } from "../idx.ts";
import type { Example } from "../network.ts";
import { rnnConfig } from "../network.ts";
import type { RnnTask, TaskOptions } from "./task.ts";

export const defaultFashionDir = "/usr/share/datasets/fashion-mnist";

/** The dataset is not where it was looked for; the message says how to install it. */
export class DatasetMissingError extends LearndynError {
  override name = "DatasetMissingError";
}

function findFile(dir: string, base: string): string {
  for (const name of [`${base}.gz`, base]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new DatasetMissingError(
    `sequentialFashion: Fashion-MNIST file ${base}(.gz) not found in ${dir}; install it with ` +
      "`apt-get install dataset-fashion-mnist` (Debian/Ubuntu, installs /usr/share/datasets/fashion-mnist) " +
      "or pass the folder holding the idx files with --data DIR",
  );
}

/** Loads `count` images (28 x 28, scaled to [0, 1]) with labels as row-by-row trials. */
export function loadFashionTrials(dir: string, split: "train" | "t10k", count: number): Example[] {
  const images = parseIdx(readFileSync(findFile(dir, `${split}-images-idx3-ubyte`)), `${split} images`);
  const labels = parseIdx(readFileSync(findFile(dir, `${split}-labels-idx1-ubyte`)), `${split} labels`);
  const [m, rows, cols] = images.dims;
  if (images.dims.length !== 3 || rows !== 28 || cols !== 28 || labels.dims[0] !== m) {
    throw new InvalidArgumentError("loadFashionTrials", dir, "matching 28 x 28 images and labels", {
      images: images.dims,
      labels: labels.dims,
    });
  }
  const use = Math.min(count, m!);
  const out: Example[] = [];
  for (let e = 0; e < use; e++) {
    const x = new Float64Array(28 * 28);
    for (let p = 0; p < 28 * 28; p++) x[p] = images.data[e * 784 + p]! / 255;
    const label = labels.data[e]!;
    if (label > 9) throw new InvalidArgumentError("loadFashionTrials", "labels", "classes 0..9", label);
    const y = new Float64Array(28 * 10);
    y[27 * 10 + label] = 1;
    out.push({ x, y });
  }
  return out;
}

export function sequentialFashion(options: TaskOptions = {}): RnnTask {
  const fn = "sequentialFashion";
  const n = requirePositiveInteger(fn, "n", options.n ?? 128, 100_000);
  const batchSize = requirePositiveInteger(fn, "batchSize", options.batchSize ?? 64, 1_000_000);
  const trainSize = requirePositiveInteger(fn, "trainSize", options.trainSize ?? 60_000, 60_000);
  const evalSize = requirePositiveInteger(fn, "evalSize", options.evalSize ?? 256, 60_000);
  if (options.steps !== undefined && options.steps !== 28) {
    throw new InvalidArgumentError(fn, "steps", "28 (one step per image row)", options.steps);
  }
  const dir = options.dataDir ?? defaultFashionDir;
  const train = loadFashionTrials(dir, "train", trainSize);
  const evalExamples = train.slice(0, Math.min(evalSize, train.length));
  const config = rnnConfig({ n, nIn: 28, nOut: 10, alpha: 0 });
  const seed = options.seed ?? 0;
  const draw = (step: number): Batch => {
    const rng = new Rng(seed * 1_000_003 + step);
    const examples = Array.from({ length: batchSize }, () => train[rng.int(train.length)]!);
    return { examples, loss: "cross-entropy", lossSteps: [28] };
  };
  return {
    name: "seqfashion",
    config,
    trainBatch: draw,
    evalBatch: { examples: evalExamples, loss: "cross-entropy", lossSteps: [28] },
    metric: "accuracy",
    sizes: { n, steps: 28, batch: batchSize, trainImages: train.length, evalImages: evalExamples.length },
    notes: [
      "Fashion-MNIST (Debian dataset-fashion-mnist) instead of the seed's MNIST, which is not available here",
      "leak α = 0 as in seed 000, A.3; loss, accuracy and Hessian on a fixed batch of training images",
    ],
  };
}

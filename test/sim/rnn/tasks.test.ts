import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeIdx, parseIdx } from "../../../src/sim/rnn/idx.ts";
import { dmsBatch } from "../../../src/sim/rnn/tasks/dms.ts";
import { patternPeriods, patternTarget } from "../../../src/sim/rnn/tasks/pattern.ts";
import { DatasetMissingError } from "../../../src/sim/rnn/tasks/seqfashion.ts";
import { makeTask } from "../../../src/sim/rnn/tasks/task.ts";

describe("tasks of seed 000, A.3", () => {
  it("pattern generation: N = 30, one input, T = 50, target the sum of sinusoids of periods 10, 40, 70, 100", () => {
    const task = makeTask("pattern", { seed: 3 });
    expect(task.config.n).toBe(30);
    expect(task.config.nIn).toBe(1);
    const b = task.evalBatch;
    expect(b.examples[0]!.x.length).toBe(50);
    expect(b.lossSteps.length).toBe(50);
    expect(patternPeriods).toEqual([10, 40, 70, 100]);
    // Periodicity: the target repeats after the least common multiple 2800 of the periods.
    expect(patternTarget(7 + 2800)).toBeCloseTo(patternTarget(7), 9);
    expect(b.examples[0]!.y[9]).toBeCloseTo(patternTarget(10), 15);
  });

  it("delayed match-to-sample: 4 trials, half adaptive units, target at the last step only", () => {
    const task = makeTask("dms");
    expect(task.config.n).toBe(100);
    expect(Array.from(task.config.adaptive).reduce((a, b) => a + b, 0)).toBe(50);
    const b = dmsBatch(20);
    expect(b.examples.length).toBe(4);
    expect(b.lossSteps).toEqual([20]);
    for (const ex of b.examples) {
      const cue1 = ex.x[0] === 1 ? 1 : 0;
      const cue2 = ex.x[18 * 2] === 1 ? 1 : 0;
      expect(ex.x[1 * 2]! + ex.x[1 * 2 + 1]!).toBe(1); // cue lasts 2 steps
      expect(ex.x.slice(4, 36).every((v) => v === 0)).toBe(true); // 16-step delay
      expect(ex.y[19 * 2 + (cue1 === cue2 ? 0 : 1)]).toBe(1);
    }
  });

  it("sequential Fashion-MNIST from idx files (a tiny file written here, gzipped as Debian ships it)", () => {
    const dir = mkdtempSync(join(tmpdir(), "learndyn-idx-"));
    const m = 5;
    const pixels = Uint8Array.from({ length: m * 784 }, (_, i) => (i * 37) % 256);
    const labels = Uint8Array.from([3, 0, 9, 1, 3]);
    writeFileSync(join(dir, "train-images-idx3-ubyte.gz"), gzipSync(encodeIdx([m, 28, 28], pixels)));
    writeFileSync(join(dir, "train-labels-idx1-ubyte"), encodeIdx([m], labels));
    const task = makeTask("seqfashion", { dataDir: dir, n: 8, batchSize: 3, evalSize: 4 });
    expect(task.config.nIn).toBe(28);
    expect(task.evalBatch.examples.length).toBe(4);
    const ex = task.evalBatch.examples[2]!;
    expect(ex.x[5]).toBeCloseTo(pixels[2 * 784 + 5]! / 255, 15);
    expect(ex.y[27 * 10 + 9]).toBe(1);
    expect(task.trainBatch(1).examples.length).toBe(3);
    expect(task.notes.join(" ")).toMatch(/Fashion-MNIST .* instead of the seed's MNIST/);
  });

  it("bad input: unknown task, N or T not positive, dataset missing (with how to install it)", () => {
    expect(() => makeTask("sine")).toThrow(
      /makeTask: argument "task" must be one of pattern, dms, seqfashion, received "sine"/,
    );
    expect(() => makeTask("pattern", { n: 0 })).toThrow(
      /patternGeneration: argument "n" must be a positive integer/,
    );
    expect(() => makeTask("pattern", { steps: -5 })).toThrow(/argument "steps" must be a positive integer/);
    expect(() => makeTask("dms", { steps: 3 })).toThrow(/dmsBatch: argument "steps" must be at least 5/);
    const empty = mkdtempSync(join(tmpdir(), "learndyn-empty-"));
    expect(() => makeTask("seqfashion", { dataDir: empty })).toThrow(DatasetMissingError);
    expect(() => makeTask("seqfashion", { dataDir: empty })).toThrow(/apt-get install dataset-fashion-mnist/);
  });

  it("refuses the seqfashion options for the other tasks, which would ignore them", () => {
    expect(() => makeTask("pattern", { batchSize: 32 })).toThrow(
      /makeTask: argument "batchSize" must be absent for task "pattern" \(only seqfashion reads it\), received 32/,
    );
    expect(() => makeTask("dms", { dataDir: "/tmp" })).toThrow(
      /argument "dataDir" must be absent for task "dms"/,
    );
    expect(() => makeTask("dms", { trainSize: 10 })).toThrow(/"trainSize"/);
    expect(() => makeTask("pattern", { evalSize: 10 })).toThrow(/"evalSize"/);
  });

  it("idx: round trip and clear errors on a wrong magic or truncated data", () => {
    const a = parseIdx(encodeIdx([2, 3], Uint8Array.from([1, 2, 3, 4, 5, 6])));
    expect(a.dims).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0]))).toThrow(
      /parseIdx: .*unsigned bytes/,
    );
    expect(() => parseIdx(encodeIdx([4], Uint8Array.from([1, 2])))).toThrow(
      /must be 12 bytes for dimensions 4, received 10/,
    );
  });
});

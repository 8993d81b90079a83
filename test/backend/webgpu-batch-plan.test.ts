import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { planChunks } from "../../src/backend/webgpu/batch-plan.ts";
import { dispatchGrid } from "../../src/backend/webgpu/kernels/dispatch.ts";
import { BoundExceededError } from "../../src/util/errors.ts";

const limits = {
  maxStorageBufferBindingSize: 1000,
  maxBufferSize: 4000,
  maxComputeWorkgroupsPerDimension: 7,
};

describe("planChunks", () => {
  it("fits every chunk's buffers under the binding limit and its members under the dispatch limit", () => {
    expect(planChunks("t", 10, { x: 300, y: 40 }, limits)).toEqual([3, 3, 3, 1]);
    expect(planChunks("t", 10, { x: 10 }, limits)).toEqual([7, 3]);
    expect(planChunks("t", 2, { x: 10 }, limits)).toEqual([2]);
  });

  it("refuses a member whose buffer alone exceeds a limit, naming the limit and the buffer", () => {
    expect(() => planChunks("f", 3, { trainInputs: 1001 }, limits)).toThrow(BoundExceededError);
    expect(() => planChunks("f", 3, { trainInputs: 1001 }, limits)).toThrow(
      /f: maxStorageBufferBindingSize .* bound of 1000 exceeded \(reached 1001 bytes for trainInputs\)/,
    );
    const lowBuffer = { ...limits, maxBufferSize: 500 };
    expect(() => planChunks("f", 3, { w1: 600 }, lowBuffer)).toThrow(/maxBufferSize/);
  });

  test.prop(
    [fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 50 })],
    {
      seed: 42,
      numRuns: 200,
    },
  )("chunks cover the batch in order and respect the limits", (size, big, small) => {
    const chunks = planChunks("t", size, { big, small }, limits);
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(size);
    const bad = chunks.filter(
      (c) =>
        c <= 0 ||
        c > limits.maxComputeWorkgroupsPerDimension ||
        c * Math.max(big, small) > limits.maxStorageBufferBindingSize,
    );
    expect(bad).toEqual([]);
  });
});

describe("dispatchGrid", () => {
  it("covers the invocations with a grid whose dimensions stay within the limit", () => {
    expect(dispatchGrid(100, 64, 65535)).toEqual([2, 1]);
    expect(dispatchGrid(64 * 70000, 64, 65535)).toEqual([65535, 2]);
    expect(() => dispatchGrid(64 * 10 * 10 + 1, 64, 10)).toThrow(BoundExceededError);
  });
});

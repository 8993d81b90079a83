import { describe, expect, it } from "vitest";
import {
  onchipDeviceWords,
  onchipWorkgroupWords,
  streamingDeviceWords,
} from "../../src/backend/webgpu/traffic.ts";

const paper = { inputs: 110, hidden: 110, batchSize: 10 };

describe("analytic memory traffic of the fused kernels", () => {
  it("counts the streaming kernel's words per step at seed 001's largest grid point", () => {
    // 5 * 12,100 (W1) + 660 (W2) + 110 + 220 (d1, d2, B) + 1,100 (x) + 80 (y, indices, shuffle).
    expect(streamingDeviceWords(paper)).toBe(62_670);
  });

  it("counts the on-chip kernel's words per step, with the weights amortized over a dispatch", () => {
    // 2,200 (x twice) + 110 (d1) + 70 (y, indices, shuffle) + (24,200 + 440) / D.
    expect(onchipDeviceWords(paper, 4075)).toBeCloseTo(2380 + 24_640 / 4075, 12); // float64 rounding
    expect(onchipDeviceWords(paper, 1)).toBe(2380 + 24_640);
    // 4 * 12,100 (W1) + 4 * 128 * 12 (reductions) + 10 + 1,100 (e).
    expect(onchipWorkgroupWords(paper, 128)).toBe(55_654);
  });

  it("moves ~26x fewer device bytes per step on chip than streaming at M = N = 110", () => {
    const ratio = streamingDeviceWords(paper) / onchipDeviceWords(paper, 4075);
    expect(ratio).toBeGreaterThan(26);
    expect(ratio).toBeLessThan(27);
  });
});

import { describe, expect, it } from "vitest";
import { onchipWorkgroupBytes } from "../../src/backend/webgpu/kernels/student-teacher-onchip.wgsl.ts";
import { onchipFit } from "../../src/backend/webgpu/student-teacher-batch.ts";

const paperShape = { inputs: 110, hidden: 110, batchSize: 10 };

describe("onchipFit", () => {
  it("fits seed 001's largest grid point (M = N = 110, minibatch 10) in NVIDIA's 48 KiB", () => {
    // W1 48,400 + reduction 4 * 128 + e 40 -> 48 (16-byte rounding) + flag 16 + scales 16.
    expect(onchipWorkgroupBytes(110, 110, 10, 128)).toBe(48_992);
    expect(onchipFit(paperShape, 64, 1024, 49_152)).toEqual({
      kernel: { variant: "onchip", workgroupSize: 128, maxBatch: 10, workgroupBytes: 48_992 },
    });
  });

  it("names the limit a shape exceeds", () => {
    // llvmpipe reports 32 KiB.
    expect(onchipFit(paperShape, 64, 1024, 32_768)).toEqual({
      misfit: {
        bound: "maxComputeWorkgroupStorageSize (bytes of workgroup memory)",
        limit: 32_768,
        reached: "48992 bytes, 48400 of them W1 at M = 110, N = 110",
      },
    });
    expect(onchipFit({ inputs: 4, hidden: 300, batchSize: 10 }, 64, 256, 49_152)).toMatchObject({
      misfit: { bound: expect.stringMatching(/maxComputeInvocationsPerWorkgroup/), limit: 256 },
    });
    expect(onchipFit({ inputs: 4, hidden: 4, batchSize: 65 }, 64, 256, 49_152)).toMatchObject({
      misfit: { bound: "minibatch of the on-chip kernel", limit: 64 },
    });
  });

  it("sizes the workgroup as the smallest power of two covering N and the requested size", () => {
    expect(onchipFit({ inputs: 7, hidden: 5, batchSize: 4 }, 64, 256, 32_768)).toMatchObject({
      kernel: { workgroupSize: 64 },
    });
    expect(onchipFit({ inputs: 7, hidden: 65, batchSize: 4 }, 64, 256, 32_768)).toMatchObject({
      kernel: { workgroupSize: 128 },
    });
  });
});

import { describe, expect, it } from "vitest";
import { webgpuBackend } from "../../src/backend/webgpu/webgpu-backend.ts";
import { backendConformance } from "./conformance.ts";

const be = await webgpuBackend();
backendConformance("webgpu", () => be, { relative: 1e-5 });
describe("x", () => { it("y", () => expect(1).toBe(1)); });

/**
 * The CPU backend's compiled-rule path is the reference itself, so here the conformance suite
 * checks what does not compare it with itself: batches against single runs, divergence, states
 * written and read; and every rule file and test rule at least compiles and runs.
 */
import { cpuBackend } from "../../src/backend/cpu.ts";
import { networkConformance } from "./network-conformance.ts";

networkConformance("cpu", () => cpuBackend(), { exact: true });

/**
 * The fixed-step controller: every step has magnitude dt (the last one, or one ending at a
 * requested save time for solvers without dense output, is shortened to land on it). Works with
 * every solver and never rejects a step.
 */
import { InvalidArgumentError } from "../util/errors.ts";
import type { StepSizeController } from "./types.ts";

/** A controller taking steps of magnitude `dt` (> 0, finite). */
export function ConstantStepSize(dt: number): StepSizeController {
  if (typeof dt !== "number" || !Number.isFinite(dt) || dt <= 0) {
    throw new InvalidArgumentError("ConstantStepSize", "dt", "a finite number > 0", dt);
  }
  // One decision object for every step: nothing is allocated per step.
  const always = Object.freeze({ accept: true, hNext: dt });
  return {
    name: `ConstantStepSize(${dt})`,
    adaptive: false,
    check() {},
    start() {
      return { h0: dt, hMin: 0, decide: () => always };
    },
  };
}

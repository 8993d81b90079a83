/** Small sizes for network rules in tests and benches (free of the test runner, so benches can use it). */
import type { NetworkRuleSpec } from "../../src/rules/network/spec.ts";
import type { Rng } from "../../src/util/random.ts";
import { recordOf } from "../../src/util/record.ts";

/** Small sizes for a rule: samples 12 train, 5 test, minibatch 4; other sizes drawn from {1..5}. */
export function smallSizes(spec: NetworkRuleSpec, rng: Rng): Record<string, number> {
  const sizes = new Map<string, number>();
  for (const s of spec.sizes) sizes.set(s.name, 1 + rng.int(5));
  if (spec.samples) {
    if (typeof spec.samples.train === "string") sizes.set(spec.samples.train, 12);
    if (typeof spec.samples.test === "string") sizes.set(spec.samples.test, 5);
    const mb = spec.minibatch?.size;
    if (typeof mb === "string" && mb !== spec.samples.train) sizes.set(mb, 4);
  }
  return recordOf(sizes);
}

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The JSON report lets .ci/run print the plain "N passed, N failed" line from real counts.
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    // `--backend auto` considers only the cpu backend and keeps no cache: results and timings of
    // the tests do not depend on what this machine's other backends measure.
    env: { LEARNDYN_AUTO_BACKENDS: "cpu", LEARNDYN_AUTO_CACHE: "0" },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The JSON report lets .ci/run print the plain "N passed, N failed" line from real counts.
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

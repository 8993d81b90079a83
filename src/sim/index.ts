/** src/sim: public surface (re-exports). */
export * from "./continuous.ts";
export * from "./deep-linear-feedback.ts";
export * from "./lyapunov-twins.ts";
export * from "./manifold-stability.ts";
export * from "./observables.ts";
export * from "./paired-permutation-test.ts";
export * from "./rule-run.ts";
export * from "./rule-tasks.ts";
export * from "./simulate.ts";
export * from "./simulation-arrays.ts";
export * from "./statistics.ts";
export * from "./student-teacher.ts";
export * from "./sweep-task.ts";

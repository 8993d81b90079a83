/**
 * learndyn's public API: `import { rules, analysis, spectra, ode, simulation, phase, report } from "learndyn"`.
 * One namespace per layer (see the README's layout); each re-exports that layer's public functions
 * and types. The command-line interface is the `learndyn` bin.
 */
export * as analysis from "./analysis/index.ts";
export * as expr from "./expr/index.ts";
export * as ir from "./ir/index.ts";
export * as ode from "./ode/index.ts";
export * as phase from "./phase/index.ts";
export * as report from "./report/index.ts";
export * as rules from "./rules/index.ts";
export * as simulation from "./sim/index.ts";
export * as spectra from "./spectra/index.ts";
export { PACKAGE_VERSION as version } from "./util/package-root.ts";

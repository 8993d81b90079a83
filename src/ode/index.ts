/** src/ode: solvers, step-size controllers and the integration driver. */
export * from "./compiled-field.ts";
export * from "./constant-step-size.ts";
export * from "./dormand-prince54.ts";
export * from "./explicit-euler.ts";
export * from "./integrate.ts";
export * from "./iterate-map.ts";
export * from "./pi-controller.ts";
export * from "./rk4.ts";
export * from "./runge-kutta.ts";
export * from "./types.ts";

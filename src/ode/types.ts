/**
 * The shared vocabulary of src/ode: vector fields, solvers, step-size controllers and the result
 * of an integration. Solvers and controllers are values passed to {@link integrate}; each declares
 * what it can do (order, adaptivity, dense output) so that a bad combination is refused before
 * the first step.
 */

/**
 * A vector field dy/dt = f(t, y). Writes f(t, y) into `dy` (same length as `y`) and allocates
 * nothing; `y` must not be modified. `dy` never aliases `y`.
 */
export type VectorField = (t: number, y: Float64Array, dy: Float64Array) => void;

/**
 * A solver bound to one field and one dimension: owns its stage buffers, so repeated steps
 * allocate nothing.
 */
export interface Stepper {
  /**
   * One step from (t, y) of signed size h. The stepper may reuse f(t, y) from the previous call
   * when t and the array `y` are the same (a retry after rejection, or first-same-as-last), so
   * the caller must not modify `y` in place between such calls. Writes the propagated solution into `yOut`, and,
   * when the solver is adaptive and `errOut` is given, the embedded local error estimate
   * (difference between the propagated and the embedded solution) into `errOut`.
   */
  step(t: number, y: Float64Array, h: number, yOut: Float64Array, errOut: Float64Array | null): void;
  /**
   * Tells the stepper its last step was accepted, so it can reuse work (first-same-as-last)
   * and keep the data dense output needs.
   */
  accept(): void;
  /**
   * Dense output inside the last accepted step: writes y(t + theta h) for theta in [0, 1]
   * into `out`. Only for solvers with `denseOutput: true`.
   */
  interpolate(theta: number, out: Float64Array): void;
  /** Field evaluations made so far. */
  readonly evaluations: number;
}

/** A one-step method as a value. */
export interface Solver {
  readonly name: string;
  /** Order p of the propagated solution: global error O(h^p). */
  readonly order: number;
  /** True when each step also returns a local error estimate usable by an adaptive controller. */
  readonly adaptive: boolean;
  /** Order of the embedded solution (adaptive solvers only); sets the controller's exponents. */
  readonly errorOrder?: number;
  /** True when {@link Stepper.interpolate} is available. */
  readonly denseOutput: boolean;
  /** Binds the solver to a field of dimension n. */
  stepper(field: VectorField, n: number): Stepper;
}

/** What a controller learns about the problem when an integration starts. */
export interface ControllerContext {
  readonly field: VectorField;
  readonly solver: Solver;
  readonly t0: number;
  readonly t1: number;
  readonly y0: Float64Array;
  /** +1 forward in time, -1 backward. */
  readonly direction: 1 | -1;
}

/** The verdict on one attempted step. */
export interface StepDecision {
  readonly accept: boolean;
  /** Magnitude of the next step to try (positive). */
  readonly hNext: number;
}

/** The running state of one controller during one integration. */
export interface ControllerRun {
  /** Magnitude of the first step (positive). */
  readonly h0: number;
  /**
   * Judges the attempted step from y to yNew of magnitude `h` with error estimate `err` (null
   * for non-adaptive controllers).
   */
  decide(h: number, y: Float64Array, yNew: Float64Array, err: Float64Array | null): StepDecision;
  /** Smallest step magnitude allowed; below it the integration fails with step-size underflow. */
  readonly hMin: number;
  /** Field evaluations the controller made itself (e.g. to choose the first step). */
  readonly evaluations?: number;
}

/** A step-size controller as a value. */
export interface StepSizeController {
  readonly name: string;
  /** True when the controller needs an error estimate from the solver. */
  readonly adaptive: boolean;
  /**
   * Throws an InvalidArgumentError if this controller cannot drive `solver` on a state of
   * dimension n (called before the first step).
   */
  check(solver: Solver, n: number): void;
  /** Starts one integration. */
  start(context: ControllerContext): ControllerRun;
}

/** Why an integration stopped early. */
export type FailureReason = "step-size-underflow" | "max-steps" | "non-finite-state";

/** Where and why an integration failed: the last good time and state, and the step that failed. */
export interface IntegrationFailure {
  readonly reason: FailureReason;
  readonly message: string;
  /** Time of the last accepted state. */
  readonly t: number;
  /** The last accepted state (finite). */
  readonly y: Float64Array;
  /** Signed size of the step that failed. */
  readonly h: number;
  /** Steps attempted when it happened. */
  readonly step: number;
}

/** Work done by an integration. */
export interface IntegrationStats {
  readonly accepted: number;
  readonly rejected: number;
  readonly evaluations: number;
}

/** The outcome of {@link integrate}: saved states, and a failure if it stopped early. */
export interface IntegrationResult {
  readonly status: "success" | "failed";
  /** Save times reached (all requested ones on success). */
  readonly ts: number[];
  /** State at each entry of `ts` (fresh arrays). */
  readonly ys: Float64Array[];
  /** Time and state at the end (t1 on success, the last accepted state on failure). */
  readonly t: number;
  readonly y: Float64Array;
  readonly failure?: IntegrationFailure;
  readonly stats: IntegrationStats;
}

/**
 * Errors that say what went wrong, where, and how to fix it.
 *
 * Every error learndyn raises on purpose is a {@link LearndynError}: its message names the
 * function, the argument, what was expected and what was received, e.g.
 * `jacobian: variable "w3" is not a state of rule "curl-toy" (states: w1, w2)`.
 */

/** Base class for all errors raised deliberately by learndyn. */
export class LearndynError extends Error {
  override name = "LearndynError";
}

/** An argument had the wrong value, type or shape. */
export class InvalidArgumentError extends LearndynError {
  override name = "InvalidArgumentError";
  constructor(
    readonly fn: string,
    readonly argument: string,
    readonly expected: string,
    readonly received: unknown,
    readonly hint?: string,
  ) {
    super(
      `${fn}: argument "${argument}" must be ${expected}, received ${describe(received)}` +
        (hint ? ` (${hint})` : ""),
    );
  }
}

/**
 * A computation hit its size or time bound before finishing. Nothing is guessed: the caller
 * learns which bound, its value, and what was reached.
 */
export class BoundExceededError extends LearndynError {
  override name = "BoundExceededError";
  constructor(
    readonly fn: string,
    readonly bound: string,
    readonly limit: number,
    readonly reached: number | string,
    hint?: string,
  ) {
    super(`${fn}: ${bound} bound of ${limit} exceeded (reached ${reached})${hint ? `; ${hint}` : ""}`);
  }
}

/** A numeric procedure failed (NaN, divergence, no convergence) at a known place. */
export class NumericFailureError extends LearndynError {
  override name = "NumericFailureError";
  constructor(
    readonly fn: string,
    readonly reason: string,
    readonly where: Record<string, unknown>,
  ) {
    super(`${fn}: ${reason} at ${describe(where)}`);
  }
}

/** A short, stable rendering of a received value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  if (typeof value === "bigint") return `${value}n`;
  try {
    const s = JSON.stringify(value);
    return s.length > 200 ? `${s.slice(0, 197)}...` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Throws an {@link InvalidArgumentError} unless `x` is a finite number in [lo, hi]. */
export function requireInRange(fn: string, argument: string, x: unknown, lo: number, hi: number): number {
  if (typeof x !== "number" || !Number.isFinite(x) || x < lo || x > hi) {
    throw new InvalidArgumentError(fn, argument, `a number in [${lo}, ${hi}]`, x);
  }
  return x;
}

/** Throws an {@link InvalidArgumentError} unless `x` is a positive integer (at most `max`). */
export function requirePositiveInteger(
  fn: string,
  argument: string,
  x: unknown,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x <= 0 || x > max) {
    throw new InvalidArgumentError(
      fn,
      argument,
      `a positive integer${max < Number.MAX_SAFE_INTEGER ? ` at most ${max}` : ""}`,
      x,
    );
  }
  return x;
}

/** Throws an {@link InvalidArgumentError} unless `x` is one of `choices`. */
export function requireOneOf<T extends string>(
  fn: string,
  argument: string,
  x: unknown,
  choices: readonly T[],
): T {
  if (typeof x !== "string" || !(choices as readonly string[]).includes(x)) {
    throw new InvalidArgumentError(fn, argument, `one of ${choices.join(", ")}`, x);
  }
  return x as T;
}

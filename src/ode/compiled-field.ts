/**
 * Adapter from a compiled vector field (named states and parameters, the form a rule compiler
 * emits) to the plain {@link VectorField} the solvers take: parameters are bound by name once,
 * states are ordered as the compiled field declares them.
 */
import { InvalidArgumentError } from "../util/errors.ts";
import type { VectorField } from "./types.ts";

/** A vector field over named states with named parameters. */
export interface CompiledVectorField {
  /** Used in error messages. */
  readonly name: string;
  /** State names, in the order of the state vector. */
  readonly states: readonly string[];
  /** Parameter names, in the order of the parameter vector. */
  readonly parameters: readonly string[];
  /** Writes f(t, y; p) into dy; allocates nothing. */
  readonly evaluate: (t: number, y: Float64Array, p: Float64Array, dy: Float64Array) => void;
}

/**
 * Binds every parameter of `compiled` to a value from `values` and returns the field. Refuses a
 * missing, unknown or non-finite parameter.
 */
export function bindParameters(compiled: CompiledVectorField, values: Record<string, number>): VectorField {
  const p = namedVector("bindParameters", compiled, "parameter", compiled.parameters, values);
  const { evaluate } = compiled;
  return (t, y, dy) => evaluate(t, y, p, dy);
}

/** The state vector of `compiled` from values given by name (every state exactly once). */
export function stateVector(compiled: CompiledVectorField, values: Record<string, number>): Float64Array {
  return namedVector("stateVector", compiled, "state", compiled.states, values);
}

function namedVector(
  fn: string,
  compiled: CompiledVectorField,
  kind: string,
  names: readonly string[],
  values: Record<string, number>,
): Float64Array {
  if (!values || typeof values !== "object") {
    throw new InvalidArgumentError(fn, `${kind}s`, `an object with ${names.join(", ") || "no keys"}`, values);
  }
  for (const key of Object.keys(values)) {
    if (!names.includes(key)) {
      throw new InvalidArgumentError(
        fn,
        key,
        `a ${kind} of "${compiled.name}" (${kind}s: ${names.join(", ") || "none"})`,
        key,
      );
    }
  }
  return Float64Array.from(names, (name) => {
    const v = values[name];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new InvalidArgumentError(fn, name, `a finite number (${kind} of "${compiled.name}")`, v);
    }
    return v;
  });
}

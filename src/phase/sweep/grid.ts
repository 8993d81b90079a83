/**
 * Parameter grids for sweeps: `name=lo:hi:count` (count equally spaced values, both ends
 * included), `name=v` (one value) or `name=v1|v2|v3` (a list), comma-separated, e.g.
 * `c=0.1:2:20,alphaH=0:1:11` or `activation=linear|tanh`. A single or listed value is a number
 * when it reads as one in decimal notation, else a name (letters, digits, _ . -). The points of the grid are the
 * Cartesian product, first axis slowest.
 */
import { parseDecimal } from "../../util/decimal.ts";
import { BoundExceededError, InvalidArgumentError } from "../../util/errors.ts";
import type { ParamValue } from "./task.ts";

export interface GridAxis {
  readonly name: string;
  readonly values: readonly ParamValue[];
}

const FN = "parseGrid";

/** Largest count of a lo:hi:count axis (a plan holds at most MAX_TASKS tasks anyway). */
const MAX_AXIS_VALUES = 1_000_000;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses a grid specification; every error names the offending part. */
export function parseGrid(spec: string): GridAxis[] {
  if (typeof spec !== "string" || spec.trim() === "") {
    throw new InvalidArgumentError(FN, "grid", "axes like 'c=0.1:2:20,alphaH=0:1:11'", spec);
  }
  const axes: GridAxis[] = [];
  for (const part of spec.split(",")) {
    const eq = part.indexOf("=");
    const name = part.slice(0, eq).trim();
    const body = part.slice(eq + 1).trim();
    if (eq < 0 || !NAME.test(name)) {
      throw new InvalidArgumentError(
        FN,
        "grid",
        "axes of the form name=lo:hi:count, name=v or name=v1|v2",
        part,
      );
    }
    if (axes.some((a) => a.name === name)) {
      throw new InvalidArgumentError(FN, `grid axis ${name}`, "given once", part);
    }
    axes.push({ name, values: axisValues(name, body) });
  }
  return axes;
}

/** A number when `text` reads as a finite number, else a name; undefined when neither. */
export function parseParamValue(text: string): ParamValue | undefined {
  const s = text.trim();
  const x = parseDecimal(s);
  if (x !== undefined) return x;
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(s) && !/^-?(Infinity|NaN)$/.test(s) ? s : undefined;
}

function axisValues(name: string, body: string): ParamValue[] {
  const number = (s: string) => {
    const x = parseDecimal(s);
    if (x === undefined) {
      throw new InvalidArgumentError(FN, `grid axis ${name}`, "finite numbers", body);
    }
    return x;
  };
  if (body.includes(":")) {
    const pieces = body.split(":");
    if (pieces.length !== 3) {
      throw new InvalidArgumentError(FN, `grid axis ${name}`, "lo:hi:count", body);
    }
    const lo = number(pieces[0]!);
    const hi = number(pieces[1]!);
    const count = number(pieces[2]!);
    if (!Number.isInteger(count) || count < 1 || (count === 1 && lo !== hi)) {
      throw new InvalidArgumentError(
        FN,
        `grid axis ${name}`,
        "a count that is a positive integer (1 only when lo = hi)",
        body,
      );
    }
    if (count > MAX_AXIS_VALUES) {
      throw new BoundExceededError(FN, `values of grid axis ${name}`, MAX_AXIS_VALUES, count);
    }
    // lo + i (hi - lo) / (count - 1), with the last value exactly hi.
    return Array.from({ length: count }, (_, i) =>
      i === count - 1 ? hi : lo + (i * (hi - lo)) / (count - 1),
    );
  }
  return body.split("|").map((s) => {
    const v = parseParamValue(s);
    if (v === undefined) {
      throw new InvalidArgumentError(
        FN,
        `grid axis ${name}`,
        "numbers or names (letters, digits, _ . -)",
        body,
      );
    }
    return v;
  });
}

/** All points of the grid as records, first axis slowest. */
export function gridPoints(axes: readonly GridAxis[]): Record<string, ParamValue>[] {
  let points: Record<string, ParamValue>[] = [{}];
  for (const axis of axes) {
    points = points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.name]: v })));
  }
  return points;
}

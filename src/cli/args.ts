/**
 * Parsing of command-line option values into checked numbers and lists. Errors name the option,
 * what was expected and what came.
 */
import { parseParamValue } from "../phase/sweep/grid.ts";
import type { ParamValue } from "../phase/sweep/task.ts";
import { InvalidArgumentError } from "../util/errors.ts";

export interface NumberOptionBounds {
  min?: number;
  max?: number;
  /** Exclusive lower bound (e.g. c > 0). */
  greaterThan?: number;
  integer?: boolean;
}

/** Parses `--name value` as a number within bounds; `undefined` gives `fallback`. */
export function numberOption(
  command: string,
  name: string,
  value: string | undefined,
  bounds: NumberOptionBounds = {},
  fallback?: number,
): number {
  if (value === undefined) {
    if (fallback === undefined) throw new InvalidArgumentError(command, `--${name}`, "given", "nothing");
    return fallback;
  }
  const x = Number(value);
  const what = [
    bounds.integer ? "an integer" : "a number",
    bounds.greaterThan !== undefined ? `> ${bounds.greaterThan}` : "",
    bounds.min !== undefined ? `>= ${bounds.min}` : "",
    bounds.max !== undefined ? `<= ${bounds.max}` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const ok =
    value.trim() !== "" &&
    Number.isFinite(x) &&
    (!bounds.integer || Number.isInteger(x)) &&
    (bounds.min === undefined || x >= bounds.min) &&
    (bounds.max === undefined || x <= bounds.max) &&
    (bounds.greaterThan === undefined || x > bounds.greaterThan);
  if (!ok) throw new InvalidArgumentError(command, `--${name}`, what, value);
  return x;
}

/** Parses a comma-separated list of numbers, each within bounds. */
export function numberListOption(
  command: string,
  name: string,
  value: string | undefined,
  bounds: NumberOptionBounds = {},
): number[] {
  if (value === undefined || value.trim() === "") {
    throw new InvalidArgumentError(
      command,
      `--${name}`,
      "a comma-separated list of numbers",
      value ?? "nothing",
    );
  }
  return value.split(",").map((part) => numberOption(command, name, part.trim(), bounds));
}

/** Parses `NAME=VALUE` (a number, or a name such as a choice's option) of option `--option`. */
export function assignmentOption(command: string, option: string, text: string): [string, ParamValue] {
  const eq = text.indexOf("=");
  const key = text.slice(0, eq).trim();
  const value = parseParamValue(text.slice(eq + 1));
  if (eq <= 0 || value === undefined) {
    throw new InvalidArgumentError(command, `--${option}`, "NAME=NUMBER or NAME=WORD", text);
  }
  return [key, value];
}

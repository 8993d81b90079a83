/**
 * Parsing of command-line option values into checked numbers and lists. Errors name the option,
 * what was expected and what came.
 */
import { parseParamValue } from "../phase/sweep/grid.ts";
import type { ParamValue } from "../phase/sweep/task.ts";
import { parseDecimal } from "../util/decimal.ts";
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
  const x = parseDecimal(value);
  const what = [
    bounds.integer ? "an integer" : "a number",
    bounds.greaterThan !== undefined ? `> ${bounds.greaterThan}` : "",
    bounds.min !== undefined ? `>= ${bounds.min}` : "",
    bounds.max !== undefined ? `<= ${bounds.max}` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const ok =
    x !== undefined &&
    (!bounds.integer || Number.isInteger(x)) &&
    (bounds.min === undefined || x >= bounds.min) &&
    (bounds.max === undefined || x <= bounds.max) &&
    (bounds.greaterThan === undefined || x > bounds.greaterThan);
  if (!ok) {
    const hint =
      x === undefined && value.trim() !== "" ? "decimal notation only, e.g. 16 or 1.5e-3" : undefined;
    throw new InvalidArgumentError(command, `--${name}`, what, value, hint);
  }
  return x as number;
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

/**
 * `--name -1` as `--name=-1`. Node's parseArgs takes a value that starts with "-" for an option
 * and refuses it as ambiguous; a negative number after a long option is its value, so it is
 * joined here and the option's own check can say what range it accepts.
 */
export function joinNegativeNumberValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (a === "--") {
      out.push(...argv.slice(i));
      break;
    }
    if (a.startsWith("--") && !a.includes("=") && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

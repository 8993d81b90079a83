/**
 * Arguments of the commands on scalar rules: the RULE, `--param NAME=VALUE` and
 * `--param NAME=A:B` (a range), and state values `NAME=V,...`.
 */
import { loadRule, type RuleSpec } from "../rules/index.ts";
import { InvalidArgumentError } from "../util/errors.ts";

export interface ParamOptions {
  values: Record<string, number>;
  ranges: Record<string, [number, number]>;
}

export function parseParamOptions(command: string, texts: readonly string[] = []): ParamOptions {
  const values: Record<string, number> = {};
  const ranges: Record<string, [number, number]> = {};
  for (const text of texts) {
    const eq = text.indexOf("=");
    const name = text.slice(0, eq).trim();
    const rhs = text.slice(eq + 1).trim();
    const parts = rhs.split(":").map((s) => s.trim());
    const nums = parts.map(Number);
    if (eq <= 0 || parts.length > 2 || parts.some((s) => s === "") || !nums.every(Number.isFinite))
      throw new InvalidArgumentError(command, "--param", "NAME=NUMBER or NAME=A:B (a range)", text);
    if (parts.length === 2) {
      if (!(nums[0]! < nums[1]!))
        throw new InvalidArgumentError(command, "--param", "a range A:B with A < B", text);
      ranges[name] = [nums[0]!, nums[1]!];
    } else values[name] = nums[0]!;
  }
  return { values, ranges };
}

/** Parses `NAME=V,NAME=V` (states) into values by name. */
export function parseStateValues(command: string, option: string, text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    const v = Number(part.slice(eq + 1));
    if (eq <= 0 || part.slice(eq + 1).trim() === "" || !Number.isFinite(v))
      throw new InvalidArgumentError(command, `--${option}`, "NAME=NUMBER,NAME=NUMBER,...", text);
    out[part.slice(0, eq).trim()] = v;
  }
  return out;
}

/** The one positional RULE of a command on scalar rules, loaded (a built-in name or a file). */
export function scalarRuleArgument(command: string, positionals: readonly string[]): RuleSpec {
  if (positionals.length !== 1)
    throw new InvalidArgumentError(
      command,
      "RULE",
      "one scalar rule (a built-in name or a rule file)",
      positionals.join(" ") || "nothing",
    );
  return loadRule(positionals[0]!);
}

/** Errors in rule files, with the line and column (1-based) where the problem is. */
import { LearndynError } from "../util/errors.ts";

export class RuleError extends LearndynError {
  override name = "RuleError";
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    readonly source = "rule",
  ) {
    super(`${source}:${line}:${column}: ${reason}`);
  }
}

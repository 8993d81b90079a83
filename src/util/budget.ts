/**
 * Time budgets for computations that can blow up (symbolic elimination, expansion of large
 * powers, exact linear algebra): a {@link Budget} is a deadline shared by the steps of one
 * computation. Each step runs under {@link Budget.run}, which names the step; loops call
 * {@link Budget.check}, and when the deadline has passed a {@link BudgetExceededError} says which
 * step was running, the limit and the time spent, so the caller can keep what earlier steps
 * produced and report the rest as not done.
 *
 * While a step runs, its budget is also the active one for the exact arithmetic below it
 * ({@link checkActiveBudget}): polynomial products and sums check it every few thousand terms,
 * so a single huge operation (a power such as (w + 1)^999999) stops at the deadline too without
 * every polynomial routine taking a budget argument. Runs nest; the innermost step is named.
 */
import { LearndynError } from "./errors.ts";

/** The deadline of a budget passed while `step` was running. */
export class BudgetExceededError extends LearndynError {
  override name = "BudgetExceededError";
  constructor(
    /** The step that was running, e.g. "charpoly" or "fixedPoints". */
    readonly step: string,
    /** The budget, in seconds. */
    readonly limitSeconds: number,
    /** Seconds spent when the deadline was noticed. */
    readonly elapsedSeconds: number,
  ) {
    super(`${step}: ${BudgetExceededError.detail(limitSeconds, elapsedSeconds)}`);
  }

  /** The message without the step's name. */
  get detail(): string {
    return BudgetExceededError.detail(this.limitSeconds, this.elapsedSeconds);
  }

  private static detail(limitSeconds: number, elapsedSeconds: number): string {
    return `time budget of ${limitSeconds} s exceeded (${elapsedSeconds.toFixed(1)} s spent; give more with --timeout SECONDS)`;
  }
}

/** A deadline shared by the steps of one computation; see the module comment. */
export class Budget {
  private readonly start = performance.now();
  private readonly steps: string[] = [];

  /** `limitSeconds`: time allowed from now (Infinity for none). */
  constructor(readonly limitSeconds: number) {}

  /** A budget that never runs out. */
  static unlimited(): Budget {
    return new Budget(Number.POSITIVE_INFINITY);
  }

  /** Seconds since the budget was created. */
  elapsedSeconds(): number {
    return (performance.now() - this.start) / 1000;
  }

  /** Whether the deadline has passed. */
  exhausted(): boolean {
    return this.elapsedSeconds() > this.limitSeconds;
  }

  /** The innermost running step ("analysis" outside any). */
  get step(): string {
    return this.steps[this.steps.length - 1] ?? "analysis";
  }

  /** Throws {@link BudgetExceededError} naming the running step if the deadline has passed. */
  check(): void {
    if (this.exhausted()) throw new BudgetExceededError(this.step, this.limitSeconds, this.elapsedSeconds());
  }

  /**
   * Runs `fn` as the step `step`: checks the deadline before it, and makes this budget the
   * active one for the arithmetic inside it.
   */
  run<T>(step: string, fn: () => T): T {
    this.steps.push(step);
    const previous = active;
    active = this;
    try {
      this.check();
      return fn();
    } finally {
      active = previous;
      this.steps.pop();
    }
  }
}

/** `fn` run as step `step` of `budget` ({@link Budget.run}), or plainly when there is none. */
export function runStep<T>(budget: Budget | undefined, step: string, fn: () => T): T {
  return budget ? budget.run(step, fn) : fn();
}

let active: Budget | undefined;
let calls = 0;

/**
 * Checks the active budget (set by {@link Budget.run}) every 4096 calls, so that inner loops of
 * the exact arithmetic can call it per term at negligible cost (a clock read per 4096 terms).
 */
export function checkActiveBudget(): void {
  if (active === undefined || (++calls & 4095) !== 0) return;
  active.check();
}

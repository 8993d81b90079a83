/**
 * The analysis has a time budget: a rule whose symbolic steps would run for minutes returns
 * when the budget is spent, naming the step that hit it, with the results of the steps before
 * (the Jacobian always; the characteristic polynomial when it was done). The rules below each
 * ran past 30 s (some past 300 s, at gigabytes) before the budget existed.
 */
import { describe, expect, it } from "vitest";
import { analyze, fixedPoints, formatReport } from "../../src/analysis/index.ts";
import { main } from "../../src/cli/main.ts";
import { parseRule } from "../../src/rules/index.ts";
import { Budget, BudgetExceededError } from "../../src/util/budget.ts";
import { cycleRuleText, denseRuleText } from "./abusive-rules.ts";

/**
 * Seconds an analysis may take beyond its budget: the checks come every few thousand terms
 * (milliseconds apart), so this only catches a step that does not check, i.e. a hang; it is not
 * a speed bound (the machine running the tests may be loaded).
 */
const SLACK = 10;

/**
 * A budget that runs out at its `checks`-th check instead of at a time: where a search stops is
 * then the same on every machine, however loaded.
 */
class CheckCountBudget extends Budget {
  private left: number;
  constructor(checks: number) {
    super(Number.POSITIVE_INFINITY);
    this.left = checks;
  }
  override exhausted(): boolean {
    return this.left <= 0;
  }
  override check(): void {
    if (--this.left < 0) throw new BudgetExceededError(this.step, 0, this.elapsedSeconds());
  }
}

/** A dense 3-state system of degrees 2, 2, 3 whose four real fixed points come from the homotopy. */
const DENSE3 = [
  "rule dense3",
  "state x1, x2, x3",
  "d/dt x1 = -3*x1^2 - 2*x2 - x3^2 - 2*x3 + 5",
  "d/dt x2 = -x1*x2 + 5*x1*x3 + 2*x1 + 2*x2^2 + 3*x2 - 2",
  "d/dt x3 = -x1^2*x2 + x1^2*x3 - 4*x1^2 + 3*x1*x2^2 + 3*x1*x2 + 3*x1*x3^2 - 3*x2^3 - 4*x2^2 - x2*x3^2 + 4*x3^3 - 2*x3^2",
].join("\n");

function timed<T>(fn: () => T): { value: T; seconds: number } {
  const t = performance.now();
  const value = fn();
  return { value, seconds: (performance.now() - t) / 1000 };
}

describe("the analysis time budget", () => {
  it("a dense 6-state rule of degree 3 returns with its Jacobian and the step that hit the budget", () => {
    const rule = parseRule(denseRuleText(6, 3));
    const { value: r, seconds } = timed(() => analyze(rule, { timeoutSeconds: 1 }));
    expect(seconds).toBeLessThan(1 + SLACK);
    expect(r.jacobian).toHaveLength(6);
    expect(r.jacobian.every((row) => row.length === 6)).toBe(true);
    expect(r.unfinished.length).toBeGreaterThan(0);
    expect(r.unfinished[0]!.reason).toMatch(/time budget of 1 s exceeded/);
    // every later step is listed as not started
    expect(r.unfinished.slice(1).every((u) => u.reason.startsWith("not started"))).toBe(true);
    expect(r.budget.limitSeconds).toBe(1);
    expect(r.budget.elapsedSeconds).toBeGreaterThanOrEqual(1);
    expect(formatReport(r)).toMatch(/unfinished steps \(time budget 1 s/);
  });

  it("a dense 6-state rule of degree 5 returns with its Jacobian within the budget", () => {
    const rule = parseRule(denseRuleText(6, 5));
    const { value: r, seconds } = timed(() => analyze(rule, { timeoutSeconds: 1 }));
    expect(seconds).toBeLessThan(1 + SLACK);
    expect(r.jacobian).toHaveLength(6);
    expect(r.unfinished[0]!.reason).toMatch(/time budget of 1 s exceeded/);
  });

  it("(w+1)^999999 stops in the expansion with the expression Jacobian kept", () => {
    const { value: r, seconds } = timed(() =>
      analyze(parseRule("rule t\nstate w\nd/dt w = (w+1)^999999"), { timeoutSeconds: 1 }),
    );
    expect(seconds).toBeLessThan(1 + SLACK);
    expect(r.jacobian).toEqual([["999999*(w + 1)^999998"]]);
    expect(r.unfinished[0]).toEqual({ step: "field", reason: expect.stringMatching(/time budget|bound/) });
    expect(r.gradient.undecided).toBeDefined();
  });

  it("a 60-state linear cycle keeps its Jacobian and charpoly when the invariant search runs out", () => {
    // The quadratic ansatz in 60 states has 1,891 monomials (the search's bound is 2,000): its
    // exact solve costs about (1891/1081)^3 ≈ 5x that of 45 states (a search of about 2 s on a loaded
    // 2-core machine), so a 1 s budget leaves a wide margin for the invariant search to run out.
    const { value: r, seconds } = timed(() => analyze(parseRule(cycleRuleText(60)), { timeoutSeconds: 1 }));
    expect(seconds).toBeLessThan(1 + SLACK);
    expect(r.charpoly === null || r.charpoly.startsWith("lambda^60")).toBe(true);
    expect(r.unfinished.map((u) => u.step)).toContain("invariants");
  });

  it("250 nested sin (below the parser's nesting bound) end within the budget", () => {
    const rule = parseRule(`rule t\nstate w\nd/dt w = ${"sin(".repeat(250)}w${")".repeat(250)} - w`);
    const { seconds } = timed(() => analyze(rule, { timeoutSeconds: 1 }));
    expect(seconds).toBeLessThan(1 + SLACK);
  });

  it("a budget names the innermost step that was running when it ran out", () => {
    const b = new Budget(0);
    let caught: unknown;
    try {
      b.run("outer", () => b.run("inner", () => undefined));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BudgetExceededError);
    expect((caught as BudgetExceededError).step).toBe("outer");
    const c = new Budget(Number.POSITIVE_INFINITY);
    expect(c.run("a", () => c.run("b", () => c.step))).toBe("b");
  });

  it("learndyn analyze --timeout sets the budget; a bad value is refused by name", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
    expect(await main(["analyze", "curl-toy", "--json", "--timeout", "30"], io)).toBe(0);
    const r = JSON.parse(out.join(""));
    expect(r.budget).toEqual({ limitSeconds: 30 });
    expect(r.unfinished).toEqual([]);
    expect(await main(["analyze", "curl-toy", "--timeout", "0"], io)).toBe(2);
    expect(err.join("\n")).toMatch(/--timeout/);
  });

  it("the homotopy stops at the budget naming its stage, and keeps the roots it certified", () => {
    const rule = parseRule(DENSE3);
    expect(fixedPoints(rule).fixedPoints).toHaveLength(4); // unbounded: all four, certified
    const r = fixedPoints(rule, { budget: new CheckCountBudget(4000) });
    expect(r.stoppedBy?.step).toBe("homotopy path tracking");
    expect(r.complete).toBe(false);
    expect(r.completeness).toMatch(/homotopy path tracking: time budget .* after \d+ of \d+ paths/);
    expect(r.fixedPoints.length).toBeGreaterThan(0);
    expect(r.fixedPoints.length).toBeLessThan(4);
    for (const f of r.fixedPoints) expect(f.certified).toBeDefined();
  });

  it("an analysis stopped inside the fixed-point search lists the stage and keeps the points found", () => {
    const r = analyze(parseRule(DENSE3), { budget: new CheckCountBudget(4000) });
    expect(r.charpoly).not.toBeNull();
    expect(r.unfinished).toEqual([
      {
        step: "fixedPoints",
        reason: expect.stringMatching(
          /^homotopy path tracking: time budget .*; the fixed points found before it are kept$/,
        ),
      },
      { step: "invariants", reason: "not started: the time budget was spent" },
    ]);
    expect(r.fixedPoints.length).toBeGreaterThan(0);
    expect(r.fixedPointsComplete).toBe(false);
  });

  it("the invariant search stopped at the budget keeps the invariants of the levels it finished", () => {
    // d/dt x = y, d/dt y = -x, d/dt z = 0: z at state degree 1, x^2 + y^2 at degree 2
    const rule = parseRule("rule osc\nstate x, y, z\nd/dt x = y\nd/dt y = -x\nd/dt z = 0");
    expect(analyze(rule).invariants).toEqual(["z", "x^2 + y^2"]);
    let stopped: ReturnType<typeof analyze> | undefined;
    for (let checks = 1; checks < 200 && !stopped; checks++) {
      const r = analyze(rule, { budget: new CheckCountBudget(checks) });
      if (r.unfinished.some((u) => u.step === "invariants") && r.invariants.length > 0) stopped = r;
    }
    expect(stopped?.invariants).toEqual(["z"]);
    expect(stopped?.unfinished.at(-1)?.reason).toMatch(/the invariants found at lower degrees are kept$/);
  });
});

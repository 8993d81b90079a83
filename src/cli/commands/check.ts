/**
 * `learndyn check [--seed 000|001|002|003] [--claim ID] [--run-seed N] [--json]`: runs the theorem
 * catalog and reports, per claim, the verdict (holds / fails / holds under an added assumption /
 * not checkable here), the margin, the counterexample of a failing claim and the seed of the run.
 * With --json the output is `{"claims": [...]}` with one object per claim; --out FILE writes it to a file.
 */
import { parseArgs } from "node:util";
import { InvalidArgumentError, LearndynError } from "../../util/errors.ts";
import { writeJson } from "../../util/io.ts";
import { type Progress, progressBar } from "../../util/progress.ts";
import { numberOption } from "../args.ts";
import { type ClaimReport, claimCatalog, SEED_IDS, type SeedId } from "../claim-catalog.ts";
import type { CliIO, Command } from "../command.ts";
import { outputFileOption } from "../output-path.ts";

const usage = `usage: learndyn check [--seed 000|001|002|003] [--claim ID] [--run-seed N] [--json] [--out FILE [--force]]

Runs the seed papers' theorems and claims as executable statements and prints a table:
claim, citation, verdict (holds | fails | holds-under-assumption | not-checkable), margin,
and the random seed of the run. A failing claim shows its smallest counterexample.

  --seed ID       only the claims of one seed paper
  --claim ID      only one claim
  --run-seed N    replace every claim's recorded fast-check seed by N
  --json          {"claims": [{"id", "seed", "citation", "verdict", "margin", "counterexample"?, ...}]}
  --out FILE      also write that JSON document to FILE (atomically; an existing FILE is
                  refused without --force)
  --force         replace the file of --out if it exists

A progress bar with rate and ETA is drawn on stderr when it is a terminal.

Exit code: 0 when every verdict is the one the catalog records for the claim, 1 otherwise.`;

export const checkCommand: Command = {
  name: "check",
  summary: "run the seed papers' theorems as property tests and report verdicts",
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseArgs({
      args: argv,
      options: {
        seed: { type: "string" },
        claim: { type: "string" },
        "run-seed": { type: "string" },
        json: { type: "boolean", default: false },
        out: { type: "string" },
        force: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.out !== undefined) outputFileOption("check", "--out", values.out, values.force);
    const catalog = claimCatalog();
    if (!catalog) {
      throw new LearndynError(
        "check: no theorem catalog is installed (start learndyn through bin/learndyn.js)",
      );
    }
    const all = catalog.claims();
    if (values.seed !== undefined && !(SEED_IDS as readonly string[]).includes(values.seed)) {
      throw new InvalidArgumentError("check", "--seed", `one of ${SEED_IDS.join(", ")}`, values.seed);
    }
    const seed = values.seed as SeedId | undefined;
    // A claim of another seed than --seed would select nothing and pass silently: refuse it.
    if (
      values.claim !== undefined &&
      !all.some((c) => c.id === values.claim && (seed === undefined || c.seed === seed))
    ) {
      const valid = all.filter((c) => seed === undefined || c.seed === seed).map((c) => c.id);
      throw new InvalidArgumentError(
        "check",
        "--claim",
        `a claim id (valid: ${valid.join(", ")})`,
        values.claim,
      );
    }
    const runSeed =
      values["run-seed"] === undefined
        ? undefined
        : numberOption("check", "run-seed", values["run-seed"], { integer: true, min: 0, max: 2 ** 31 - 1 });
    let bar: Progress | undefined;
    const reports = catalog.run({
      seed,
      claimId: values.claim,
      runSeed,
      onClaim: (done, total) => {
        bar ??= progressBar("check", total);
        bar.tick();
        if (done === total) bar.done();
      },
    });
    if (values.out !== undefined) writeJson(values.out, { claims: reports });
    if (values.json) io.out(JSON.stringify({ claims: reports }, null, 2));
    else io.out(table(reports));
    return reports.every((r) => r.verdict === r.recorded) ? 0 : 1;
  },
};

/** A plain-text table, one line per claim, with counterexamples and assumptions underneath. */
function table(reports: ClaimReport[]): string {
  const rows = reports.map((r) => [
    r.id,
    `${r.citation.section}${r.citation.equation ? `, eq. ${r.citation.equation}` : ""}`,
    r.verdict,
    r.margin === null ? "-" : r.margin.toPrecision(3),
    String(r.runSeed),
  ]);
  const head = ["claim", "citation", "verdict", "margin", "run seed"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const out = [line(head), line(widths.map((w) => "-".repeat(w)))];
  reports.forEach((r, i) => {
    out.push(line(rows[i]!));
    if (r.verdict === "fails") {
      out.push(`    counterexample: ${JSON.stringify(r.counterexample)}`);
      if (r.counterexampleNote) out.push(`    ${r.counterexampleNote}`);
      if (r.witness && r.witness.slack < 0)
        out.push(`    hand-checkable instance: ${JSON.stringify(r.witness.instance)}`);
    }
    if (r.assumption) out.push(`    added assumption: ${r.assumption}`);
    if (r.reason) out.push(`    not checkable here: ${r.reason}`);
    if (r.correctionOf) out.push(`    corrected form of ${r.correctionOf}`);
    if (r.verdict !== r.recorded) out.push(`    REGRESSION: the catalog records "${r.recorded}"`);
  });
  const count = (v: string) => reports.filter((r) => r.verdict === v).length;
  out.push(
    "",
    `${reports.length} claims: ${count("holds")} hold, ${count("holds-under-assumption")} hold under an added assumption, ` +
      `${count("fails")} fail, ${count("not-checkable")} not checkable here`,
  );
  return out.join("\n");
}

/**
 * `learndyn report` without a browser: the claims it selects for a rule, the page it writes
 * (sections, data links whose data is the JSON written beside it, no reference outside the
 * page), how it reads RESULT files, and what it refuses. test/report/report-browser.test.ts
 * loads a page in Chromium.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import "../../theory/register.ts";
import { claimCatalog } from "../../src/cli/claim-catalog.ts";
import { main } from "../../src/cli/main.ts";
import { citedEquations, equationNumbers, relatedClaimIds } from "../../src/cli/related-claims.ts";
import { resultKind } from "../../src/report/result-section.ts";
import { builtinRule } from "../../src/rules/builtins.ts";

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => void out.push(`${t}\n`), err: (t) => void err.push(`${t}\n`) });
  return { code, out: out.join(""), err: err.join("") };
}

/** The data: URI links of a page, by file name, decoded. */
function downloads(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/data-file="([^"]+)" href="data:[^;]+;base64,([^"]+)"/g)) {
    out.set(m[1]!, Buffer.from(m[2]!, "base64").toString("utf8"));
  }
  return out;
}

describe("related claims", () => {
  it("reads equation numbers and ranges", () => {
    expect([...equationNumbers("8-9")]).toEqual([8, 9]);
    expect([...equationNumbers("52, 55, 58, 60")]).toEqual([52, 55, 58, 60]);
    expect([...equationNumbers("16-22 (the analogous derivation)")]).toEqual([16, 17, 18, 19, 20, 21, 22]);
    expect(citedEquations("seed 001, eqs. 5-6 (the update) and section 5 (the protocol)")).toEqual({
      seed: "001",
      equations: new Set([5, 6]),
    });
    expect(citedEquations("Saxe, McClelland, Ganguli, ICLR 2014")).toBeNull();
  });

  it("selects the catalog's claims at the equations a rule's source cites", () => {
    const catalog = claimCatalog()!;
    // curl-toy cites seed 001, eq. 8: the claims of section 4.1 printed at eq. 8 (or 7-8, 8-9).
    expect(relatedClaimIds(catalog, builtinRule("curl-toy").source)).toEqual([
      "001.toy.jacobian",
      "001.toy.origin-center",
      "001.toy.separatrix",
      "001.toy.separatrix.corrected",
      "001.toy.faster-escape",
    ]);
    expect(relatedClaimIds(catalog, builtinRule("saxe-depth3").source)).toEqual([]);
  });
});

describe("learndyn report", () => {
  it("writes one page whose data links carry the JSON written beside it, with nothing from outside", async () => {
    const dir = mkdtempSync(join(tmpdir(), "learndyn-report-cli-"));
    const result = join(dir, "boundary.json");
    const phase = await run(["phase", "curl-descent", "--layer", "readout", "--alphas", "0.2,0.5", "--json"]);
    writeFileSync(result, phase.out);
    const r = await run([
      "report",
      "gradient-toy",
      result,
      "--claims",
      "001.toy.jacobian",
      "--horizon",
      "2",
      "--out",
      join(dir, "page"),
      "--json",
    ]);
    expect(r.code).toBe(0);
    const written = JSON.parse(r.out) as { files: string[]; sections: { id: string }[] };
    expect(written.sections.map((s) => s.id)).toEqual([
      "gradient-toy-rule",
      "gradient-toy-analysis",
      "gradient-toy-simulation",
      "boundary-result",
      "claims",
    ]);
    expect(readFileSync(join(dir, "page", "index.html"), "utf8")).toMatch(
      /<td>001\.toy\.jacobian<\/td>\n?<td>listed<\/td>/,
    );
    const html = readFileSync(join(dir, "page", "index.html"), "utf8");
    expect(html).toContain("d/dt w2 = w1*(s - w1*w2)");
    expect(html).toContain("A gradient flow: potential L = ");
    const links = downloads(html);
    for (const file of [
      "gradient-toy-analysis.json",
      "gradient-toy-trajectories.json",
      "boundary.json",
      "boundary-boundary.json",
    ]) {
      expect(JSON.parse(links.get(file)!), file).toEqual(
        JSON.parse(readFileSync(join(dir, "page", file), "utf8")),
      );
    }
    expect(links.get("gradient-toy-trajectories.svg")).toBe(
      readFileSync(join(dir, "page", "gradient-toy-trajectories.svg"), "utf8"),
    );
    // The RESULT file is the document phase wrote.
    expect(JSON.parse(links.get("boundary.json")!)).toEqual(JSON.parse(phase.out));
    // Every table row has as many cells as its heading row.
    for (const table of html.matchAll(/<table>([\s\S]*?)<\/table>/g)) {
      const head = /<thead><tr>([\s\S]*?)<\/tr><\/thead>/.exec(table[1]!);
      if (!head) continue;
      const columns = head[1]!.match(/<th>/g)!.length;
      for (const row of table[1]!.matchAll(/<tr>((?:(?!<\/tr>)[\s\S])*)<\/tr>/g)) {
        expect(row[1]!.match(/<t[dh][ >]/g)!.length).toBe(columns);
      }
    }
    // Self-contained: every src and href is a data: URI or an anchor in the page.
    const refs = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs)
      expect(ref.startsWith("data:") || ref.startsWith("#"), ref.slice(0, 40)).toBe(true);
  });

  it("recognizes the documents learndyn commands write", () => {
    expect(resultKind({ claims: [{ id: "x", verdict: "holds" }] })).toBe("claims");
    expect(resultKind({ rule: "r", sizes: {}, epochs: [0, 1], trainError: [1, 0.5] })).toBe("simulation");
    expect(resultKind({ rule: "r", sizes: {}, runs: [{ seed: 1, epochs: [0], trainError: [1] }] })).toBe(
      "simulation",
    );
    expect(
      resultKind({
        model: "curl-descent",
        layer: "hidden",
        boundary: [{ alpha: 0, cStar: null, status: "stable" }],
      }),
    ).toBe("boundary");
    expect(resultKind({ planHash: "h", task: "t", rows: [] })).toBe("sweep");
    expect(resultKind({ c: 1, lowerEdge: 0.2, edges: [0.2, 3] })).toBe("spectrum");
    expect(resultKind({ anything: 1 })).toBe("other");
  });

  it("refuses what it cannot do, naming the argument", async () => {
    const dir = mkdtempSync(join(tmpdir(), "learndyn-report-bad-"));
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ not json");
    const cases: [string[], RegExp][] = [
      [["report", "curl-toy"], /"--out" must be a directory for the page, received "nothing"/],
      [["report", "--out", dir], /"RULE\|RESULT" must be at least one rule or result file/],
      [
        ["report", "curl-toy", "--set", "M=3", "--out", dir],
        /"--set" must be given only with a network rule, received "M=3"/,
      ],
      [
        ["report", "curl-toy", "--claims", "001.nope", "--out", dir],
        /"--claims" must be .*claim ids of the catalog.*received "001.nope"/,
      ],
      [["report", bad, "--out", dir], /RESULT .*bad\.json" must be a JSON document/],
      [
        ["report", "no-such-rule", "--out", dir],
        /"rule" must be a built-in rule .* or an existing rule file, received "no-such-rule"/,
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err, argv.join(" ")).toMatch(message);
    }
  });
});

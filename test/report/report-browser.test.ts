/**
 * The HTML report in a real browser: `learndyn report` writes a page about a scalar rule, a
 * network rule (seed 001's curl descent at small sizes) and a RESULT file; headless Chromium
 * loads it from file:// with every request outside the page refused, and the test checks that
 * the sections are there, every figure decodes and has a size, the rule text is shown, and a
 * download link's data is the JSON written beside the page. The screenshot is written to
 * test-results/report-page.png.
 *
 * Without /usr/bin/chromium the browser tests are skipped, unless LEARNDYN_REQUIRE_BROWSER=1
 * (set in CI), where its absence fails.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHROMIUM,
  launchChromium,
  chromiumPresent as present,
  browserRequired as required,
} from "../browser.ts";
import "../../theory/register.ts";
import { main } from "../../src/cli/main.ts";

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => void out.push(`${t}\n`), err: (t) => void err.push(`${t}\n`) });
  return { code, out: out.join(""), err: err.join("") };
}

if (!present && required) {
  describe("report page in headless Chromium", () => {
    it("has a browser", () => {
      throw new Error(
        `${CHROMIUM} is absent but LEARNDYN_REQUIRE_BROWSER=1: install Debian's chromium package`,
      );
    });
  });
} else if (!present) {
  describe.skip(`report page in headless Chromium (skipped: ${CHROMIUM} is absent; CI sets LEARNDYN_REQUIRE_BROWSER=1)`, () => {
    it("loads the page", () => {});
  });
} else {
  describe("report page in headless Chromium", () => {
    let browser: Browser;
    let dir: string;
    let boundaryFile: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "learndyn-report-"));
      const phase = await run([
        "phase",
        "curl-descent",
        "--layer",
        "hidden",
        "--alphas",
        "0,0.1,0.2,0.3,0.4",
        "--json",
      ]);
      expect(phase.code).toBe(0);
      boundaryFile = join(dir, "boundary.json");
      writeFileSync(boundaryFile, phase.out);
      const small = ["M=12", "N=12", "P=30", "Q=10"].flatMap((s) => ["--set", s]);
      // Three cheap claims (the related ones include a 10-second one; test/cli/report.test.ts checks the selection).
      const claims = ["--claims", "001.toy.jacobian,001.toy.separatrix,001.A.1.joint"];
      const r = await run([
        "report",
        "curl-toy",
        "curl-descent",
        boundaryFile,
        ...small,
        "--epochs",
        "50",
        ...claims,
        "--out",
        join(dir, "page"),
      ]);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
    });

    it("renders the sections, the figures, the rule text and downloadable data, with no request outside the page", async () => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const outside: string[] = [];
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
        outside.push(url);
        return route.abort();
      });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      const index = join(dir, "page", "index.html");
      await page.goto(pathToFileURL(index).href, { waitUntil: "load" });

      const ids = await page.$$eval("section", (ss) => ss.map((s) => s.id));
      expect(ids).toEqual([
        "curl-toy-rule",
        "curl-toy-analysis",
        "curl-toy-simulation",
        "curl-descent-rule",
        "curl-descent-network",
        "curl-descent-seed001",
        "curl-descent-simulation",
        "boundary-result",
        "claims",
      ]);
      // Every section has a heading and content a reader can see.
      const heights = await page.$$eval("section", (ss) => ss.map((s) => s.getBoundingClientRect().height));
      for (const h of heights) expect(h).toBeGreaterThan(40);

      const ruleText = await page.textContent("#curl-toy-rule pre");
      expect(ruleText).toContain("d/dt w2 = -w1*(s - w1*w2)");
      expect(await page.textContent("#curl-toy-rule")).toContain("seed 001, eq. 8");
      expect(await page.textContent("#curl-descent-rule pre")).toContain("d/dt W2 = -mean(e h') diag(s2)");
      expect(await page.textContent("#curl-toy-analysis")).toContain("Not a gradient");
      // The claims table: one row per claim listed, with its verdict and the rule it concerns.
      const claimRows = await page.$$eval("#claims tbody tr", (trs) =>
        trs.map((tr) => [...tr.children].map((td) => td.textContent)),
      );
      expect(claimRows.map((r) => [r[0], r[1], r[3]])).toEqual([
        ["001.A.1.joint", "curl-descent", "holds"],
        ["001.toy.jacobian", "curl-toy", "holds"],
        ["001.toy.separatrix", "curl-toy", "fails"],
      ]);

      // Every table row has as many cells as its heading row.
      const mismatched = await page.$$eval("table", (ts) =>
        ts.flatMap((t) => {
          const columns = t.querySelectorAll("thead th").length;
          return columns === 0
            ? []
            : [...t.querySelectorAll("tbody tr")]
                .filter((tr) => tr.children.length !== columns)
                .map((tr) => tr.textContent);
        }),
      );
      expect(mismatched).toEqual([]);

      // Every figure: a decoded image with a nonzero rendered size.
      // (The test compiles without the DOM library: an image's fields are typed here.)
      type Img = { complete: boolean; naturalWidth: number };
      const figures = await page.$$eval("figure img", (imgs) =>
        imgs.map((img) => ({
          name: img.closest("figure")?.getAttribute("data-name"),
          complete: (img as unknown as Img).complete,
          natural: (img as unknown as Img).naturalWidth,
          width: img.getBoundingClientRect().width,
          height: img.getBoundingClientRect().height,
        })),
      );
      expect(figures.map((f) => f.name).sort()).toEqual(
        [
          "curl-toy-trajectories",
          "curl-descent-jacobian-spectrum",
          "curl-descent-phase-hidden",
          "curl-descent-spectrum",
          "curl-descent-simulation-curves",
          "boundary-boundary",
        ].sort(),
      );
      for (const f of figures) {
        expect(f.complete, f.name ?? "").toBe(true);
        expect(f.natural, f.name ?? "").toBeGreaterThan(0);
        expect(f.width, f.name ?? "").toBeGreaterThan(100);
        expect(f.height, f.name ?? "").toBeGreaterThan(100);
      }

      // Download links: the data behind them parses as the JSON written beside the page.
      for (const file of [
        "curl-descent-simulation.json",
        "curl-descent-phase-hidden.json",
        "curl-toy-analysis.json",
      ]) {
        const text = await page.$eval(`a.download[data-file="${file}"]`, async (a) =>
          (await fetch((a as unknown as { href: string }).href)).text(),
        );
        expect(JSON.parse(text), file).toEqual(JSON.parse(readFileSync(join(dir, "page", file), "utf8")));
      }
      const svg = await page.$eval('a.download[data-file="curl-toy-trajectories.svg"]', async (a) =>
        (await fetch((a as unknown as { href: string }).href)).text(),
      );
      expect(svg).toBe(readFileSync(join(dir, "page", "curl-toy-trajectories.svg"), "utf8"));

      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
      const shots = resolve("test-results");
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, "report-page.png"), fullPage: true });
      expect(existsSync(join(shots, "report-page.png"))).toBe(true);
      await page.close();
    });
  });
}

/**
 * The explorer in a real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core):
 * the α_h slider moves the marker to the c* that `learndyn phase` computes, a click on the map
 * draws the spectrum and a live simulation, a shared URL restores the same view, and the phase
 * portrait draws a two-state rule and launches a trajectory on click. Screenshots are written to
 * test-results/explorer/. Skips where Chromium is absent unless LEARNDYN_REQUIRE_BROWSER=1 (CI).
 */
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ExplorerServer, startExplorerServer } from "../../src/cli/explorer-server.ts";
import { main } from "../../src/cli/main.ts";
import { chromiumPresent as available, browserRequired, CHROMIUM, launchChromium } from "../browser.ts";

if (!available && browserRequired) {
  throw new Error(`LEARNDYN_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing (apt-get install chromium)`);
}
const SHOTS = "test-results/explorer";

/** c*(α_h) as `learndyn phase curl-descent --layer hidden --json` computes it, over the page's default c range. */
async function cliCritical(alphaH: number): Promise<number> {
  let out = "";
  const args = [
    "phase",
    "curl-descent",
    "--layer",
    "hidden",
    "--alphas",
    String(alphaH),
    "--c-min",
    "0.05",
    "--c-max",
    "5",
    "--json",
  ];
  const code = await main(args, {
    out: (t) => {
      out += t;
    },
    err: () => {},
  });
  expect(code).toBe(0);
  return (JSON.parse(out) as { boundary: { cStar: number }[] }).boundary[0]!.cStar;
}

describe.skipIf(!available)("explorer in headless Chromium", () => {
  let server: ExplorerServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startExplorerServer({ port: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1300, height: 1400 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
    expect(errors).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("moving the α_h slider puts the marker at the CLI's c*(α_h), at three values", async () => {
    for (const alphaH of [0.2, 0.5, 0.8]) {
      await page.locator("#alphaH").fill(String(alphaH));
      await page.waitForFunction(`document.getElementById("phase").dataset.alphaH === "${alphaH}"`);
      const drawn = Number(await page.locator("#phase").getAttribute("data-cstar"));
      // The page runs the same code (bundled) on the same float64 arithmetic: equal to rounding.
      expect(Math.abs(drawn - (await cliCritical(alphaH)))).toBeLessThan(1e-9 * drawn);
    }
    await page.screenshot({ path: `${SHOTS}/phase-slider.png` });
  }, 120_000);

  it("a click on the map draws the spectrum there and a simulation that runs", async () => {
    const svg = page.locator("#phase svg").last();
    const box = (await svg.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.35, box.y + box.height * 0.5);
    await page.waitForSelector("#spectrum svg");
    await page.waitForFunction(
      'Number(document.getElementById("simulation").dataset.epochs ?? 0) >= 20',
      null,
      {
        timeout: 60_000,
      },
    );
    expect(await page.locator("#simulation svg path").count()).toBeGreaterThan(0);
    expect(new URL(page.url()).searchParams.get("sel")).toMatch(/^[0-9.e-]+,[0-9.e-]+$/);
    await page.screenshot({ path: `${SHOTS}/point.png` });
  }, 120_000);

  it("a shared URL restores the same view", async () => {
    await page.locator("#alphaR").fill("0.3");
    await page.waitForFunction('document.getElementById("phase").dataset.alphaR === "0.3"');
    const shared = page.url();
    const before = {
      cstar: await page.locator("#phase").getAttribute("data-cstar"),
      point: await page.locator("#point").textContent(),
    };
    const other = await browser.newPage({ viewport: { width: 1300, height: 1400 } });
    await other.goto(shared);
    await other.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
    expect(await other.locator("#phase").getAttribute("data-cstar")).toBe(before.cstar);
    expect(await other.locator("#point").textContent()).toBe(before.point);
    expect(await other.locator("#alphaR").inputValue()).toBe("0.3");
    await other.screenshot({ path: `${SHOTS}/shared.png` });
    await other.close();
  }, 120_000);

  it("the portrait draws the curl toy's fixed points and launches a trajectory on click", async () => {
    const svg = page.locator("#portrait svg").last();
    await svg.scrollIntoViewIfNeeded();
    expect(await page.locator("#portrait").textContent()).toContain("center");
    const box = (await svg.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.45);
    await page.waitForFunction('new URL(location.href).searchParams.has("traj")');
    await page.screenshot({ path: `${SHOTS}/portrait.png`, fullPage: true });
    // A rule with a parse error says where.
    await page.locator("#rule").fill("rule bad\nstate x, y\nd/dt x = y +\nd/dt y = x");
    await page.locator("#rule-apply").click();
    expect(await page.locator("#rule-error").textContent()).toMatch(/^rule:3:13: /); // line:column of the dangling "+"
  }, 120_000);
});

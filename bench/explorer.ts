/**
 * Explorer responsiveness in headless Chromium: the time from a slider move to the redrawn phase
 * diagram, as the page measures it (`data-render-ms`: recomputing the 200 × 200 analytic map of
 * seed 001's lower edge for a new α_r, finding the boundary and c*, and building the figure) and
 * up to the next painted frame. Moves α_r (map recomputed) and α_h (marker only) over several
 * values and prints medians as JSON (bench/results/explorer.json). Needs `npm run build` and
 * /usr/bin/chromium: `npx tsx bench/explorer.ts`.
 */
import { loadavg } from "node:os";
import { chromium } from "playwright-core";
import { startExplorerServer } from "../src/cli/explorer-server.ts";
import { writeJson } from "../src/util/io.ts";
import { median } from "../src/util/median.ts";

const server = await startExplorerServer({ port: 0 });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
const page = await browser.newPage({ viewport: { width: 1300, height: 1400 } });
await page.goto(server.url);
await page.waitForSelector("body[data-ready=true]", { timeout: 120_000 });

/** Moves a slider; returns [in-page render ms, ms from the input event to the next frame]. */
async function move(id: string, value: number): Promise<[number, number]> {
  // Runs in the page (a string: this file is type-checked without the DOM library).
  return page.evaluate(`new Promise((resolve) => {
    const input = document.getElementById(${JSON.stringify(id)});
    const t0 = performance.now();
    input.value = "${value}";
    input.dispatchEvent(new Event("input"));
    requestAnimationFrame(() =>
      resolve([Number(document.getElementById("phase").dataset.renderMs), performance.now() - t0]));
  })`) as Promise<[number, number]>;
}

const alphaR = Array.from({ length: 21 }, (_, k) => 0.02 + 0.02 * k);
const alphaH = Array.from({ length: 21 }, (_, k) => 0.05 + 0.04 * k);
const mapMoves = [];
for (const a of alphaR) mapMoves.push(await move("alphaR", a));
const markerMoves = [];
for (const a of alphaH) markerMoves.push(await move("alphaH", a));
await browser.close();
await server.close();

const summary = (m: [number, number][]) => ({
  renderMsMedian: median(m.map((x) => x[0])),
  toFrameMsMedian: median(m.map((x) => x[1])),
  renderMsMax: Math.max(...m.map((x) => x[0])),
  moves: m.length,
});
const result = {
  bench: "explorer",
  description:
    "slider move to redrawn phase diagram in headless Chromium (software rendering): alphaR moves recompute the 200 x 200 analytic map; alphaH moves redraw the marker and c*",
  target: "200 x 200 map redraw under 100 ms after a slider move",
  loadAverage: loadavg(),
  alphaRMoves: summary(mapMoves),
  alphaHMoves: summary(markerMoves),
};
writeJson("bench/results/explorer.json", result);
console.log(JSON.stringify(result, null, 2));

// Bundles the explorer (explorer/*.ts and the learndyn modules it uses) for the browser into
// dist/explorer: app.js (the page), worker.js (the simulation worker) and index.html.
import { copyFileSync, mkdirSync } from "node:fs";
import { build } from "esbuild";

const outdir = new URL("../dist/explorer/", import.meta.url);
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: { app: "explorer/main.ts", worker: "explorer/simulation-worker.ts" },
  outdir: outdir.pathname,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  sourcemap: false,
  loader: { ".rule": "text" },
  logLevel: "warning",
});
copyFileSync(new URL("../explorer/index.html", import.meta.url), new URL("index.html", outdir));

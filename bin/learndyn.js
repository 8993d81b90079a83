#!/usr/bin/env node
// Entry point: runs the compiled CLI in dist/ (built by `npm run build`, which `npm ci` runs).
import { existsSync } from "node:fs";

const main = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write(
    "learndyn: the compiled CLI (dist/) is missing; run `npm run build` in the package folder\n",
  );
  process.exit(2);
}
// The theorem catalog (theory/) fills the registry that `learndyn check` reads; src/ never imports theory/.
await import("../dist/theory/register.js");
const cli = await import(main.href);
process.exitCode = await cli.main(process.argv.slice(2));

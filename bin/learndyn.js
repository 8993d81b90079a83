#!/usr/bin/env node
// Entry point: runs the TypeScript CLI through tsx's ESM loader, so no build step is needed.
import { register } from "tsx/esm/api";

register();
// The theorem catalog (theory/) fills the registry that `learndyn check` reads; src/ never imports theory/.
await import("../theory/register.ts");
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));

/**
 * Where learndyn's own files are at run time. The same modules run from source (src/*.ts under a
 * TypeScript loader: tests, benches) and compiled (dist/src/*.js: the published package and its
 * `learndyn` bin), so nothing may count `../` steps from a module to the package root; these
 * helpers find it, and name the source or compiled sibling of an entry point.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The folder holding learndyn's package.json: the first one above this module whose name is "learndyn". */
export const PACKAGE_ROOT: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "learndyn"
    ) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`learndyn: no package.json named "learndyn" above ${from}`);
  }
}

/** The package's version, from its package.json. */
export const PACKAGE_VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }
).version;

/** True when this module runs from TypeScript source (under a loader), false when compiled. */
export const RUNNING_FROM_SOURCE: boolean = import.meta.url.endsWith(".ts");

/**
 * The URL of a sibling entry point of `moduleUrl`, given its stem (`"./shard-main"`): the `.ts`
 * file when running from source, the `.js` file when compiled.
 */
export function entryBeside(moduleUrl: string, stem: string): URL {
  return new URL(`${stem}${RUNNING_FROM_SOURCE ? ".ts" : ".js"}`, moduleUrl);
}

/** Node arguments that let a child process run `entry`: a TypeScript loader for `.ts` files only. */
export function nodeArgsFor(entry: string): string[] {
  return entry.endsWith(".ts") ? ["--import", "tsx"] : [];
}

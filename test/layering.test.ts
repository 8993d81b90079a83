/**
 * The layering the README states: a file in src/<layer> imports only from its own layer and the
 * layers before it (util, expr, rules, ir, analysis, spectra, ode, backend, sim, hessian, phase,
 * report, cli), and src/ never imports theory/.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";

const ORDER = [
  "util",
  "expr",
  "rules",
  "ir",
  "analysis",
  "spectra",
  "ode",
  "backend",
  "sim",
  "hessian",
  "phase",
  "report",
  "cli",
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("layering", () => {
  it("src imports only from earlier layers and never from theory", () => {
    const violations: string[] = [];
    for (const file of sources("src")) {
      const layer = file.split("/")[1]!;
      for (const m of readFileSync(file, "utf8").matchAll(/from "(\.[^"]+)"/g)) {
        const target = normalize(join(dirname(file), m[1]!)).split("/");
        if (target[0] === "theory") violations.push(`${file} imports ${m[1]}`);
        if (target[0] !== "src") continue;
        const to = target[1]!;
        if (ORDER.includes(layer) && ORDER.includes(to) && ORDER.indexOf(to) > ORDER.indexOf(layer)) {
          violations.push(`${file} (${layer}) imports ${m[1]} (${to})`);
        }
      }
    }
    expect(violations).toEqual([]);
    expect(ORDER.filter((l) => !readdirSync("src").includes(l))).toEqual([]);
  });
});

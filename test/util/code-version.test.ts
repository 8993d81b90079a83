import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { codeVersion, codeVersionOf } from "../../src/util/code-version.ts";

const tmp = mkdtempSync(join(tmpdir(), "learndyn-code-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the code version", () => {
  it("is the package version, the git commit when there is one, and a hash of the sources", () => {
    mkdirSync(join(tmp, "src/a"), { recursive: true });
    writeFileSync(join(tmp, "package.json"), JSON.stringify({ version: "9.8.7" }));
    writeFileSync(join(tmp, "src/a/x.ts"), "export const x = 1;\n");
    writeFileSync(join(tmp, "src/y.ts"), "export const y = 2;\n");
    const first = codeVersionOf(tmp);
    expect(first.version).toBe("9.8.7");
    expect(first.commit).toBeNull(); // not a git checkout
    expect(first.sourceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(codeVersionOf(tmp)).toEqual(first);
    // Any change of a source, or bytes moved from one file to another, is other code.
    writeFileSync(join(tmp, "src/a/x.ts"), "export const x = 2;\n");
    const edited = codeVersionOf(tmp).sourceHash;
    expect(edited).not.toBe(first.sourceHash);
    writeFileSync(join(tmp, "src/a/x.ts"), "export const x = 2;\nexport const y = 2;\n");
    writeFileSync(join(tmp, "src/y.ts"), "");
    expect(codeVersionOf(tmp).sourceHash).not.toBe(edited);

    const own = codeVersion();
    expect(own.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(own.commit === null || /^[0-9a-f]{40}$/.test(own.commit)).toBe(true);
  });
});

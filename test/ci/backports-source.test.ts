import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const script = join(root, ".ci/backports-source.sh");
const tmp = mkdtempSync(join(tmpdir(), "learndyn-apt-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A machine's /etc with `files` (paths under etc/apt) and Debian 12's os-release. */
function machine(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  mkdirSync(join(dir, "etc/apt/sources.list.d"), { recursive: true });
  writeFileSync(
    join(dir, "etc/os-release"),
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_CODENAME=bookworm\n',
  );
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, "etc/apt", path), text);
  return dir;
}
const run = (aptRoot: string) =>
  spawnSync("bash", [script], { env: { ...process.env, APT_ROOT: aptRoot }, encoding: "utf8" });

describe("the backports apt source", () => {
  it("takes the URIs and key of the machine's Debian sources (deb822), so a site's mirror is kept", () => {
    const dir = machine("deb822", {
      "sources.list.d/debian.sources": [
        "Types: deb",
        "# a comment",
        "URIs: http://mirror.example.org/debian https://second.example.net/debian",
        "Suites: bookworm bookworm-updates",
        "Components: main",
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg",
        "",
        "Types: deb",
        "URIs: http://mirror.example.org/debian-security",
        "Suites: bookworm-security",
        "Components: main",
        "",
        "Types: deb",
        "Enabled: no",
        "URIs: http://disabled.example.org/debian",
        "Suites: bookworm",
        "",
      ].join("\n"),
      "sources.list.d/node.sources":
        "Types: deb\nURIs: https://deb.nodesource.com/node_20.x\nSuites: nodistro\n",
    });
    const r = run(dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        "Types: deb",
        "URIs: http://mirror.example.org/debian https://second.example.net/debian",
        "Suites: bookworm-backports",
        "Components: main",
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg",
        "",
      ].join("\n"),
    );
  });

  it("reads one-line sources.list entries, with their signed-by option", () => {
    const dir = machine("one-line", {
      "sources.list": [
        "# deb http://commented.example.org/debian bookworm main",
        "deb [arch=amd64 signed-by=/etc/apt/keyrings/site.gpg] http://apt.site.example/debian bookworm main contrib",
        "deb http://apt.site.example/debian-security bookworm-security main",
        "deb-src http://apt.site.example/debian bookworm main",
      ].join("\n"),
    });
    const r = run(dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      "Types: deb\nURIs: http://apt.site.example/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /etc/apt/keyrings/site.gpg\n",
    );
  });

  it("says why when the machine has no source of its release", () => {
    const r = run(machine("none", { "sources.list": "deb http://x.example/debian bullseye main\n" }));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^backports-source: no apt source of suite bookworm in /);
  });

  it("no mirror host is written into .ci/run or the README", () => {
    for (const file of [".ci/run", "README.md"]) {
      expect(readFileSync(join(root, file), "utf8")).not.toMatch(/URIs: https?:\/\/|deb\.debian\.org/);
    }
  });
});

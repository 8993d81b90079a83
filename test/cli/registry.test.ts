import { describe, expect, it } from "vitest";
import { commands } from "../../src/cli/commands/index.ts";

/** "reproduce-simulations" -> "reproduceSimulationsCommand". */
function exportName(command: string): string {
  return `${command.replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase())}Command`;
}

describe("command registry", () => {
  it("has each command in src/cli/commands/<name>.ts, exported as <name>Command", async () => {
    const names = commands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const command of commands) {
      const module = (await import(`../../src/cli/commands/${command.name}.ts`)) as Record<string, unknown>;
      expect(module[exportName(command.name)], command.name).toBe(command);
    }
  });
});

/**
 * `learndyn explore [--port P] [--host H]`: serves the interactive explorer (explorer/, bundled
 * into dist/explorer) on the loopback interface until interrupted: seed 001's analytic phase
 * diagram with sliders, the spectrum and a live simulation at a clicked point, and phase
 * portraits of two-state rules, all computed in the browser; the view is kept in the URL.
 */
import { parseArgs } from "node:util";
import { numberOption } from "../args.ts";
import type { Command } from "../command.ts";
import { startExplorerServer } from "../explorer-server.ts";

const usage = `usage: learndyn explore [--port P] [--host H]

Serves the explorer at http://H:P/ (default 127.0.0.1:8737) until Ctrl-C.
  --port P   TCP port (0: any free port)
  --host H   interface to listen on (default 127.0.0.1, this machine only)`;

export const exploreCommand: Command = {
  name: "explore",
  summary: "interactive explorer in the browser: phase diagram, spectra, simulations, portraits",
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { port: { type: "string" }, host: { type: "string" } },
      strict: true,
    });
    const port = numberOption("explore", "port", values.port, { integer: true, min: 0, max: 65535 }, 8737);
    const server = await startExplorerServer({ port, host: values.host ?? "127.0.0.1" });
    io.out(`learndyn explorer at ${server.url} (Ctrl-C to stop)`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await server.close();
    return 0;
  },
};

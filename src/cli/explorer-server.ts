/**
 * The explorer's local web server: serves the bundled app (dist/explorer, built by
 * scripts/build-explorer.mjs) on the loopback interface. Static files only, no network access
 * needed by the page; everything it computes runs in the browser.
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { LearndynError } from "../util/errors.ts";
import { PACKAGE_ROOT } from "../util/package-root.ts";

export const EXPLORER_DIR = join(PACKAGE_ROOT, "dist/explorer");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

export interface ExplorerServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the server on `host:port` (port 0: any free port). */
export async function startExplorerServer(
  options: { host?: string; port?: number } = {},
): Promise<ExplorerServer> {
  if (!existsSync(join(EXPLORER_DIR, "index.html"))) {
    throw new LearndynError(`the explorer is not built (${EXPLORER_DIR} is missing): run \`npm run build\``);
  }
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const file = normalize(join(EXPLORER_DIR, path === "/" ? "index.html" : path));
    const type = TYPES[extname(file)];
    if (!file.startsWith(EXPLORER_DIR) || !type || !existsSync(file)) {
      res.writeHead(404, { "content-type": "text/plain" }).end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, { "content-type": type, "cache-control": "no-cache" }).end(readFileSync(file));
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "EADDRINUSE"
          ? new LearndynError(`explore: port ${options.port} is in use; choose another with --port`)
          : e,
      ),
    );
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Debian's headless Chromium for the browser tests (explorer, HTML report), driven by
 * playwright-core. The flags keep it off the network: this machine and CI have a closed network,
 * and Chromium's background services would otherwise try to reach their hosts at every start.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
/** Whether the browser is installed here. */
export const chromiumPresent = existsSync(CHROMIUM);
/** CI sets LEARNDYN_REQUIRE_BROWSER=1: a missing browser is then a failure, not a skipped suite. */
export const browserRequired = process.env.LEARNDYN_REQUIRE_BROWSER === "1";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

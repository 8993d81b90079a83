/**
 * A progress bar with rate and ETA for long work.
 *
 * Draws on stderr only when stderr is a terminal; when it is not (CI, pipes, tests) it stays
 * quiet, so machine-readable output on stdout is never mixed with progress. LEARNDYN_PROGRESS=1
 * forces drawing on, LEARNDYN_PROGRESS=0 off (the `enabled` option overrides both).
 */
export interface Progress {
  /** Advances the count by `n` (default 1) and redraws at most every 100 ms. */
  tick(n?: number): void;
  /** Finishes the bar (prints a final line when drawing). */
  done(): void;
}

export interface ProgressOptions {
  /** Stream to draw on; default process.stderr. Drawing happens only if it is a TTY. */
  stream?: NodeJS.WriteStream;
  /** Force drawing on or off regardless of the TTY check and LEARNDYN_PROGRESS. */
  enabled?: boolean;
  /** Clock in ms, injectable for tests. */
  now?: () => number;
}

/** Creates a progress bar for `total` units of work labelled `label`. */
export function progressBar(label: string, total: number, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const forced = process.env.LEARNDYN_PROGRESS;
  const enabled = options.enabled ?? (forced === "1" ? true : forced === "0" ? false : Boolean(stream.isTTY));
  const now = options.now ?? (() => performance.now());
  const start = now();
  let count = 0;
  let lastDraw = -Infinity;

  const draw = (final: boolean) => {
    const t = now();
    if (!final && t - lastDraw < 100) return;
    lastDraw = t;
    stream.write(`\r${formatProgress(label, count, total, (t - start) / 1000)}${final ? "\n" : ""}`);
  };

  return {
    tick(n = 1) {
      count += n;
      if (enabled) draw(false);
    },
    done() {
      if (enabled) draw(true);
    },
  };
}

/** One line of progress: bar, count, rate per second and ETA. Pure, for testing. */
export function formatProgress(label: string, count: number, total: number, elapsedSeconds: number): string {
  const width = 24;
  const frac = total > 0 ? Math.min(1, count / total) : 1;
  const filled = Math.round(frac * width);
  const rate = elapsedSeconds > 0 ? count / elapsedSeconds : 0;
  const eta = rate > 0 ? (total - count) / rate : Number.NaN;
  return `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${count}/${total} ${rate.toFixed(1)}/s ETA ${formatSeconds(eta)}`;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "--";
  if (s < 60) return `${s.toFixed(0)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, "0")}m`;
}

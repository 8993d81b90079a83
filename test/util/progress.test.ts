import { describe, expect, it } from "vitest";
import { formatProgress, progressBar } from "../../src/util/progress.ts";

/** A stream that records what is written, a terminal or not. */
function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, write: (s: string) => written.push(s) > 0, written } as unknown as NodeJS.WriteStream & {
    written: string[];
  };
}

describe("progressBar", () => {
  it("writes nothing when the stream is not a terminal", () => {
    const s = stream(false);
    const bar = progressBar("work", 10, { stream: s, now: () => 0 });
    bar.tick(5);
    bar.done();
    expect(s.written).toEqual([]);
  });

  it("draws count, rate and ETA on a terminal, at most every 100 ms, and a final line", () => {
    const s = stream(true);
    let t = 0;
    const bar = progressBar("work", 10, { stream: s, now: () => t });
    t = 1000;
    bar.tick(2); // drawn: 2 in 1 s, 8 left at 2/s
    t = 1050;
    bar.tick(1); // within 100 ms of the last draw: not drawn
    t = 2000;
    bar.tick(2); // 5 in 2 s
    bar.done();
    expect(s.written).toEqual([
      `\r${formatProgress("work", 2, 10, 1)}`,
      `\r${formatProgress("work", 5, 10, 2)}`,
      `\r${formatProgress("work", 5, 10, 2)}\n`,
    ]);
    expect(formatProgress("work", 2, 10, 1)).toBe("work [#####-------------------] 2/10 2.0/s ETA 4s");
  });

  it("draws when forced on a stream that is not a terminal, and stays quiet when forced off", () => {
    const forced = stream(false);
    let t = 0;
    const bar = progressBar("work", 4, { stream: forced, enabled: true, now: () => t });
    t = 500;
    bar.tick(4);
    bar.done();
    expect(forced.written.at(-1)).toBe("\rwork [########################] 4/4 8.0/s ETA 0s\n");
    const off = stream(true);
    const quiet = progressBar("work", 4, { stream: off, enabled: false });
    quiet.tick(4);
    quiet.done();
    expect(off.written).toEqual([]);
  });
});

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { viridis } from "../../src/report/colormap.ts";
import { figureSvg, writeFigure } from "../../src/report/figure.ts";
import { crc32, encodePng } from "../../src/report/png.ts";
import { formatTick, makeScale, ticks } from "../../src/report/scale.ts";

describe("png", () => {
  it("computes the standard CRC-32 check value", () => {
    // The CRC-32 of the ASCII string "123456789" is 0xCBF43926 (the catalogue check value).
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });

  it("encodes a raster whose IDAT inflates back to the filtered scanlines", () => {
    const rgba = Uint8Array.from({ length: 2 * 2 * 4 }, (_, i) => i * 7);
    const png = encodePng(2, 2, rgba);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer);
    const ihdrLength = view.getUint32(8);
    const idatAt = 8 + 12 + ihdrLength;
    const idatLength = view.getUint32(idatAt);
    const raw = inflateSync(png.subarray(idatAt + 8, idatAt + 8 + idatLength));
    expect(Array.from(raw)).toEqual([0, ...rgba.subarray(0, 8), 0, ...rgba.subarray(8)]);
  });
});

describe("scale", () => {
  it("maps linear and log domains onto pixels", () => {
    const s = makeScale([0, 10], [100, 200]);
    expect(s(5)).toBe(150);
    const l = makeScale([0.1, 10], [0, 200], true);
    expect(l(1)).toBeCloseTo(100, 12);
    expect(() => makeScale([0, 10], [0, 1], true)).toThrow(/positive numbers/);
  });

  it("places 1-2-5 ticks and decades", () => {
    expect(ticks(makeScale([0, 1], [0, 1])).map((t) => t.label)).toEqual([
      "0",
      "0.2",
      "0.4",
      "0.6",
      "0.8",
      "1",
    ]);
    const major = ticks(makeScale([0.01, 10], [0, 1], true)).filter((t) => t.major);
    expect(major.map((t) => t.label)).toEqual(["0.01", "0.1", "1", "10"]);
    expect(formatTick(1e-5)).toBe("1e-5");
  });
});

describe("figure", () => {
  it("renders viridis ends exactly", () => {
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(1)).toEqual([253, 231, 37]);
  });

  it("writes an SVG with title, labels, legend and a heatmap image, and a PNG", () => {
    const x = Array.from({ length: 40 }, (_, i) => 10 ** (-1 + (2 * i) / 39));
    const y = Array.from({ length: 30 }, (_, i) => i / 29);
    const z = y.map((a) => x.map((c) => (c < 0.3 + a ? 1 : 0)));
    const dir = mkdtempSync(join(tmpdir(), "learndyn-fig-"));
    const paths = writeFigure(join(dir, "map"), {
      title: "Stability map",
      xLabel: "c = M/N",
      yLabel: "alpha",
      xLog: true,
      heatmap: {
        x,
        y,
        z,
        colormap: "categorical",
        categories: [
          { value: 1, label: "stable", color: "#9ecae1" },
          { value: 0, label: "unstable", color: "#fdae6b" },
        ],
      },
      series: [{ x: y.map((a) => 0.3 + a), y, label: "boundary c*" }],
    });
    const svg = readFileSync(paths.svg, "utf8");
    for (const s of [
      "Stability map",
      "c = M/N",
      "alpha",
      "stable",
      "unstable",
      "boundary c*",
      "data:image/png;base64",
    ]) {
      expect(svg).toContain(s);
    }
    const png = readFileSync(paths.png);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    // PNG width is twice the SVG width (scale 2): bytes 16..20 of IHDR.
    expect(png.readUInt32BE(16)).toBe(1440);
  });

  it("refuses a heatmap whose z does not match its axes", () => {
    expect(() =>
      figureSvg({
        title: "t",
        xLabel: "x",
        yLabel: "y",
        heatmap: { x: [1, 2], y: [1], z: [[1]], colormap: "viridis" },
      }),
    ).toThrow(/heatmap.z/);
  });
});

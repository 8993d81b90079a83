import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { encodeNpy, encodeNpz, writeNpy, writeNpz } from "../../src/util/npy.ts";

const tmp = mkdtempSync(join(tmpdir(), "learndyn-npy-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ascii = (bytes: Uint8Array) => String.fromCharCode(...bytes);

describe(".npy version 1.0, byte by byte", () => {
  it("writes magic, version, header length, a 64-byte aligned header and little-endian float64 in C order", () => {
    const bytes = encodeNpy({ data: [1, 2, 3, 4, 5, -0.5], shape: [2, 3] });
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const view = new DataView(bytes.buffer);
    const headerLength = view.getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0);
    const header = ascii(bytes.subarray(10, 10 + headerLength));
    const dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
    expect(header).toBe(`${dict}${" ".repeat(headerLength - dict.length - 1)}\n`);
    expect(headerLength).toBe(118); // 10 + 118 = 128: the dict (59 characters) and "\n" padded to 64-byte blocks
    expect(header.length).toBe(headerLength);
    expect(bytes.length).toBe(10 + headerLength + 6 * 8);
    const values = Array.from({ length: 6 }, (_, q) => view.getFloat64(10 + headerLength + 8 * q, true));
    expect(values).toEqual([1, 2, 3, 4, 5, -0.5]);
    // 1.0 in little-endian IEEE 754 double: 00 00 00 00 00 00 f0 3f.
    expect(Array.from(bytes.subarray(10 + headerLength, 18 + headerLength))).toEqual([
      0, 0, 0, 0, 0, 0, 0xf0, 0x3f,
    ]);
  });

  it("writes a 1-D shape with its comma, a scalar as (), float32 rounded and int32", () => {
    const header = (b: Uint8Array) =>
      ascii(b.subarray(10, 10 + new DataView(b.buffer).getUint16(8, true))).trimEnd();
    expect(header(encodeNpy({ data: [1, 2, 3, 4, 5], shape: [5] }))).toBe(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (5,), }",
    );
    expect(header(encodeNpy({ data: [7], shape: [] }))).toBe(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
    );
    const f4 = encodeNpy({ data: [0.1, Number.NaN], shape: [2], dtype: "<f4" });
    expect(header(f4)).toContain("'descr': '<f4'");
    expect(f4.length).toBe(128 + 8);
    expect(new DataView(f4.buffer).getFloat32(128, true)).toBe(Math.fround(0.1));
    expect(Number.isNaN(new DataView(f4.buffer).getFloat32(132, true))).toBe(true);
    const i4 = encodeNpy({ data: [-1, 2 ** 31 - 1], shape: [1, 2], dtype: "<i4" });
    expect([
      new DataView(i4.buffer).getInt32(128, true),
      new DataView(i4.buffer).getInt32(132, true),
    ]).toEqual([-1, 2 ** 31 - 1]);
  });

  it("refuses data that does not fit the shape or the dtype, naming the array", () => {
    expect(() => encodeNpy({ data: [1, 2, 3], shape: [2, 2] }, "trainError")).toThrow(
      /encodeNpy: argument "trainError.data" must be 4 values \(shape \[2, 2\]\), received "3 values"/,
    );
    expect(() => encodeNpy({ data: [1.5], shape: [1], dtype: "<i4" })).toThrow(
      /array.data\[0\]" must be an int32/,
    );
    expect(() => encodeNpy({ data: [], shape: [-1] })).toThrow(/shape\[0\]" must be an integer >= 0/);
    expect(() => encodeNpz({ "bad name": { data: [1], shape: [1] } })).toThrow(/Python identifier/);
  });
});

describe(".npz archives", () => {
  it("are zip files of stored (uncompressed) NAME.npy members with their CRC-32", () => {
    const a = { data: [1, 2, 3], shape: [3] };
    const zip = encodeNpz({ a, b: { data: [4], shape: [1, 1], dtype: "<i4" as const } });
    const view = new DataView(zip.buffer, zip.byteOffset);
    // Local file header of the first member (APPNOTE 4.3.7).
    expect(view.getUint32(0, true)).toBe(0x04034b50);
    expect(view.getUint16(8, true)).toBe(0); // method 0: stored
    const expected = encodeNpy(a);
    expect(view.getUint32(14, true)).toBe(crc32(expected));
    expect(view.getUint32(18, true)).toBe(expected.length); // compressed size
    expect(view.getUint32(22, true)).toBe(expected.length); // uncompressed size
    const nameLength = view.getUint16(26, true);
    const extraLength = view.getUint16(28, true);
    expect(ascii(zip.subarray(30, 30 + nameLength))).toBe("a.npy");
    const start = 30 + nameLength + extraLength;
    expect(Array.from(zip.subarray(start, start + expected.length))).toEqual(Array.from(expected));
    // End of central directory: two entries.
    const end = zip.length - 22;
    expect(view.getUint32(end, true)).toBe(0x06054b50);
    expect(view.getUint16(end + 10, true)).toBe(2);
    // Equal arrays give equal files (fixed time stamps).
    expect(Array.from(encodeNpz({ a }))).toEqual(Array.from(encodeNpz({ a })));
  });
});

const numpy = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" }).status === 0;

describe.skipIf(!numpy)(".npy and .npz files loaded by NumPy (python3 with numpy)", () => {
  it("are byte for byte what np.save writes for the same array", () => {
    const script = `
import io, numpy as np
b = io.BytesIO()
np.save(b, np.array([[1.5, -2.0, 3.25], [0.0, 1e300, -1e-300]]))
print(b.getvalue().hex())`;
    const run = spawnSync("python3", ["-c", script], { encoding: "utf8" });
    const ours = encodeNpy({ data: [1.5, -2.0, 3.25, 0.0, 1e300, -1e-300], shape: [2, 3] });
    expect(run.stdout.trim()).toBe(Buffer.from(ours).toString("hex"));
  });

  it("have the shape, dtype and values written", () => {
    const matrix = Array.from({ length: 12 }, (_, q) => Math.sin(q) * 10 ** (q - 6));
    writeNpy(join(tmp, "m.npy"), { data: matrix, shape: [3, 4] });
    writeNpz(join(tmp, "z.npz"), {
      x: { data: [0.1, 0.2, 0.3], shape: [3], dtype: "<f4" },
      k: { data: [-3, 0, 7, 2 ** 31 - 1], shape: [2, 2], dtype: "<i4" },
      s: { data: [Math.PI], shape: [] },
    });
    const script = `
import json, sys, numpy as np
m = np.load(sys.argv[1])
z = np.load(sys.argv[2])
out = {"m": [list(m.shape), str(m.dtype), m.tolist(), bool(m.flags["C_CONTIGUOUS"])]}
for k in sorted(z.files):
    a = z[k]
    out[k] = [list(a.shape), str(a.dtype), a.tolist()]
print(json.dumps(out))`;
    const run = spawnSync("python3", ["-c", script, join(tmp, "m.npy"), join(tmp, "z.npz")], {
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    const got = JSON.parse(run.stdout);
    const rows = [0, 1, 2].map((i) => matrix.slice(4 * i, 4 * i + 4));
    // float64 round-trips exactly through the text of Python's repr and JSON.
    expect(got.m).toEqual([[3, 4], "float64", rows, true]);
    expect(got.x).toEqual([[3], "float32", [0.1, 0.2, 0.3].map(Math.fround)]);
    expect(got.k).toEqual([
      [2, 2],
      "int32",
      [
        [-3, 0],
        [7, 2 ** 31 - 1],
      ],
    ]);
    expect(got.s).toEqual([[], "float64", Math.PI]);
  });
});

it("writeNpy writes the bytes encodeNpy gives", () => {
  writeNpy(join(tmp, "r.npy"), { data: [1, 2], shape: [2] });
  expect(Array.from(readFileSync(join(tmp, "r.npy")))).toEqual(
    Array.from(encodeNpy({ data: [1, 2], shape: [2] })),
  );
});

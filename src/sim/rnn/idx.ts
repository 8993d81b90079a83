/**
 * Reader of the idx format of (Fashion-)MNIST: magic 0x0000 08 D (unsigned bytes, D dimensions),
 * D big-endian 32-bit sizes, then the data. Gzipped files (as Debian installs them) are
 * inflated first.
 */
import { gunzipSync } from "node:zlib";
import { InvalidArgumentError } from "../../util/errors.ts";

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

export function parseIdx(bytes: Uint8Array, source = "idx data"): IdxArray {
  let buf = bytes;
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) buf = new Uint8Array(gunzipSync(buf));
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 4 || view.getUint16(0) !== 0 || buf[2] !== 0x08) {
    throw new InvalidArgumentError("parseIdx", source, "an idx file of unsigned bytes (magic 0x000008..)", {
      firstBytes: Array.from(buf.subarray(0, 4)),
    });
  }
  const d = buf[3]!;
  const header = 4 + 4 * d;
  if (d === 0 || buf.length < header)
    throw new InvalidArgumentError("parseIdx", source, "a complete idx header", { length: buf.length });
  const dims: number[] = [];
  for (let k = 0; k < d; k++) dims.push(view.getUint32(4 + 4 * k));
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length !== header + size) {
    throw new InvalidArgumentError(
      "parseIdx",
      source,
      `${header + size} bytes for dimensions ${dims.join("x")}`,
      buf.length,
    );
  }
  return { dims, data: buf.subarray(header) };
}

/** Encodes an idx file of unsigned bytes (used to write small test files). */
export function encodeIdx(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((s, k) => {
    view.setUint32(4 + 4 * k, s);
  });
  out.set(data, 4 + 4 * dims.length);
  return out;
}

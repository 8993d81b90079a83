/**
 * Arrays for NumPy: the .npy format, version 1.0 (numpy/lib/format.py, "NEP 1"), and .npz
 * archives of them.
 *
 * A .npy file is the magic string "\x93NUMPY", the version bytes 1 and 0, the header length as a
 * little-endian uint16, then the header: a Python dict literal
 * `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }` padded with spaces and ended by
 * "\n" so that magic, version, length and header together take a multiple of 64 bytes; then the
 * values in C (row-major) order, little-endian: '<f8' (float64), '<f4' (float32, rounded to
 * nearest) or '<i4' (int32, integers only). np.load reads it as is.
 *
 * A .npz file is a zip archive of NAME.npy members, stored uncompressed (np.savez does the same),
 * written with fflate's zipSync: the zip container (local headers, CRC-32, central directory) is
 * a library's job; the .npy header is a dozen lines and no npm package writes it.
 */
import { zipSync } from "fflate";
import { InvalidArgumentError } from "./errors.ts";
import { writeFileAtomic } from "./io.ts";

/** The element types written: little-endian float64, float32 and int32. */
export type NpyDtype = "<f8" | "<f4" | "<i4";

/** An n-dimensional array: values in C order and a shape whose product is their count. */
export interface NdArray {
  readonly data: ArrayLike<number>;
  /** Dimensions; [] for a scalar (one value). */
  readonly shape: readonly number[];
  /** Default "<f8". */
  readonly dtype?: NpyDtype;
}

const BYTES: Record<NpyDtype, number> = { "<f8": 8, "<f4": 4, "<i4": 4 };

/** The header dict of `array` as NumPy writes it (a 1-tuple keeps its comma: `(5,)`). */
function headerText(dtype: NpyDtype, shape: readonly number[]): string {
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  return `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${tuple}, }`;
}

function checkArray(fn: string, name: string, array: NdArray): NpyDtype {
  const dtype = array.dtype ?? "<f8";
  if (!(dtype in BYTES)) throw new InvalidArgumentError(fn, `${name}.dtype`, "<f8, <f4 or <i4", dtype);
  array.shape.forEach((d, k) => {
    if (!Number.isInteger(d) || d < 0) {
      throw new InvalidArgumentError(fn, `${name}.shape[${k}]`, "an integer >= 0", d);
    }
  });
  const count = array.shape.reduce((p, d) => p * d, 1);
  if (array.data.length !== count) {
    throw new InvalidArgumentError(
      fn,
      `${name}.data`,
      `${count} values (shape [${array.shape.join(", ")}])`,
      `${array.data.length} values`,
    );
  }
  if (dtype === "<i4") {
    for (let q = 0; q < count; q++) {
      const x = array.data[q]!;
      if (!Number.isInteger(x) || x < -(2 ** 31) || x >= 2 ** 31) {
        throw new InvalidArgumentError(fn, `${name}.data[${q}]`, "an int32 (dtype <i4)", x);
      }
    }
  }
  return dtype;
}

/** The bytes of a .npy file (version 1.0) holding `array`. */
export function encodeNpy(array: NdArray, name = "array"): Uint8Array {
  const dtype = checkArray("encodeNpy", name, array);
  const dict = headerText(dtype, array.shape);
  // magic (6) + version (2) + length (2) + dict + padding + "\n" = a multiple of 64.
  const headerLength = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10;
  const count = array.data.length;
  const bytes = new Uint8Array(10 + headerLength + count * BYTES[dtype]);
  const view = new DataView(bytes.buffer);
  bytes.set([0x93, ...Array.from("NUMPY", (ch) => ch.charCodeAt(0)), 1, 0]);
  view.setUint16(8, headerLength, true);
  const header = `${dict}${" ".repeat(headerLength - dict.length - 1)}\n`;
  for (let k = 0; k < header.length; k++) bytes[10 + k] = header.charCodeAt(k);
  const start = 10 + headerLength;
  for (let q = 0; q < count; q++) {
    const x = array.data[q]!;
    if (dtype === "<f8") view.setFloat64(start + 8 * q, x, true);
    else if (dtype === "<f4") view.setFloat32(start + 4 * q, x, true);
    else view.setInt32(start + 4 * q, x, true);
  }
  return bytes;
}

/** The members' time stamp: the zip format's earliest, so equal arrays give equal files. */
const ZIP_EPOCH = new Date(1980, 0, 1);

/** The bytes of a .npz archive: member NAME.npy for each entry (names: letters, digits, _). */
export function encodeNpz(arrays: Readonly<Record<string, NdArray>>): Uint8Array {
  const members: Record<string, [Uint8Array, { level: 0; mtime: Date }]> = {};
  for (const [name, array] of Object.entries(arrays)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new InvalidArgumentError("encodeNpz", "name", "a Python identifier (letters, digits, _)", name);
    }
    members[`${name}.npy`] = [encodeNpy(array, name), { level: 0, mtime: ZIP_EPOCH }];
  }
  return zipSync(members);
}

/** Writes `array` as a .npy file, atomically. */
export function writeNpy(path: string, array: NdArray): void {
  writeFileAtomic(path, encodeNpy(array));
}

/** Writes `arrays` as a .npz archive, atomically. */
export function writeNpz(path: string, arrays: Readonly<Record<string, NdArray>>): void {
  writeFileAtomic(path, encodeNpz(arrays));
}

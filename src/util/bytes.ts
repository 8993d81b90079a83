/** Sizes of memory for people: binary units (KiB = 1024 bytes), three significant digits. */

/** e.g. "1.50 GiB", "512 bytes". */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let k = 0;
  let x = bytes;
  while (x >= 1024 && k < units.length - 1) {
    x /= 1024;
    k++;
  }
  return `${k === 0 ? x : x.toPrecision(3)} ${units[k]}`;
}

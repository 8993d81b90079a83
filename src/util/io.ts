/**
 * Writing results that other tools can read: JSON and CSV, written atomically (a temporary file
 * in the same directory, then a rename), so a killed process never leaves a half-written file.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Writes `data` to `path` atomically, creating parent directories. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Writes pretty JSON atomically. Non-finite numbers are written as null. */
export function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, `${toJson(value)}\n`);
}

/** JSON text with 2-space indent; NaN and ±Infinity become null (JSON has no such numbers). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2);
}

/** CSV text (RFC 4180 quoting) from rows of records with the given column order. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cell = (v: unknown) => {
    const s = v == null ? "" : typeof v === "number" && !Number.isFinite(v) ? "" : String(v);
    // RFC 4180: a field with a comma, a quote or a line break (CR or LF) is quoted.
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.map(cell).join(",")];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c])).join(","));
  return `${lines.join("\n")}\n`;
}

/** Writes CSV atomically. */
export function writeCsv(
  path: string,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
): void {
  writeFileAtomic(path, toCsv(columns, rows));
}

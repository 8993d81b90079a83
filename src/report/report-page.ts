/**
 * The HTML report page: a title and sections of blocks (paragraphs, preformatted text, tables,
 * figures, data), rendered as one self-contained HTML document: inline CSS, each figure an SVG
 * carried in a data: URI, and each figure's data and each data block downloadable from a data:
 * URI link. No script, no font or style sheet from elsewhere: the page opens without a network.
 * `writeReport` also writes every figure (SVG) and every data document (JSON) beside the page,
 * under the same names as the download links.
 */
import { join } from "node:path";
import { InvalidArgumentError } from "../util/errors.ts";
import { toJson, writeFileAtomic } from "../util/io.ts";
import { type Figure, figureSvg } from "./figure.ts";
import { dataUri, escapeXml } from "./html.ts";

/** A table cell: text, a number (shown to 6 significant digits), or null (shown as "—"). */
export type Cell = string | number | boolean | null;

/** One piece of a section. `name` of a figure or data block is its file name without extension. */
export type Block =
  | { readonly kind: "paragraph"; readonly text: string }
  | { readonly kind: "code"; readonly text: string; readonly caption?: string }
  | {
      readonly kind: "table";
      /** Column headings; empty for a table of name/value rows without a heading row. */
      readonly head: readonly string[];
      readonly rows: readonly (readonly Cell[])[];
      readonly caption?: string;
    }
  | {
      readonly kind: "figure";
      readonly name: string;
      readonly figure: Figure;
      readonly caption: string;
      /** The numbers drawn, downloadable as `<name>.json`. */
      readonly data: unknown;
    }
  | { readonly kind: "data"; readonly name: string; readonly label: string; readonly data: unknown };

export interface ReportSection {
  /** The anchor of the section (letters, digits and hyphens). */
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly Block[];
}

export interface ReportPage {
  readonly title: string;
  /** One line under the title (what the page was made from). */
  readonly subtitle?: string;
  readonly sections: readonly ReportSection[];
}

// Cells with more characters than this may break anywhere (a JSON counterexample has no spaces).
const LONG = 40;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const CSS = `
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1a1a1a;
  max-width: 980px; margin: 0 auto; padding: 24px 20px 64px; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 2em; }
.subtitle { color: #555; margin-top: 0; }
nav ol { columns: 2; padding-left: 1.4em; }
pre { background: #f6f6f4; border: 1px solid #e2e2de; padding: 10px 12px; overflow-x: auto;
  font-size: 0.86em; line-height: 1.35; }
div.table { overflow-x: auto; margin: 0.3em 0 0.8em; }
table { border-collapse: collapse; font-size: 0.92em; }
p.caption { color: #444; margin: 1em 0 0; font-style: italic; }
th, td { border: 1px solid #d6d6d2; padding: 3px 8px; text-align: left; vertical-align: top; }
td.long { overflow-wrap: anywhere; min-width: 14em; }
th { background: #f0f0ec; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1.2em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #e2e2de; }
figcaption { color: #333; font-size: 0.92em; margin-top: 4px; }
.downloads { font-size: 0.88em; margin: 4px 0 0; }
.downloads a { margin-right: 1.2em; }
`;

/** The page as one HTML document (see the module comment). Refuses duplicate or malformed names. */
export function reportHtml(page: ReportPage): string {
  checkNames(page);
  const nav = page.sections
    .map((s) => `<li><a href="#${escapeXml(s.id)}">${escapeXml(s.title)}</a></li>`)
    .join("");
  const body = page.sections.map(
    (s) =>
      `<section id="${escapeXml(s.id)}">\n<h2>${escapeXml(s.title)}</h2>\n${s.blocks.map(blockHtml).join("\n")}\n</section>`,
  );
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(page.title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    `<h1>${escapeXml(page.title)}</h1>`,
    page.subtitle ? `<p class="subtitle">${escapeXml(page.subtitle)}</p>` : "",
    `<nav><ol>${nav}</ol></nav>`,
    ...body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/**
 * Writes `<dir>/index.html` and, beside it, `<name>.svg` and `<name>.json` of every figure and
 * `<name>.json` of every data block. Returns the paths written, the page first.
 */
export function writeReport(dir: string, page: ReportPage): string[] {
  const html = reportHtml(page);
  const files: string[] = [];
  for (const s of page.sections) {
    for (const b of s.blocks) {
      if (b.kind === "figure") {
        writeFileAtomic(join(dir, `${b.name}.svg`), figureSvg(b.figure));
        writeFileAtomic(join(dir, `${b.name}.json`), `${toJson(b.data)}\n`);
        files.push(join(dir, `${b.name}.svg`), join(dir, `${b.name}.json`));
      } else if (b.kind === "data") {
        writeFileAtomic(join(dir, `${b.name}.json`), `${toJson(b.data)}\n`);
        files.push(join(dir, `${b.name}.json`));
      }
    }
  }
  const index = join(dir, "index.html");
  writeFileAtomic(index, html);
  return [index, ...files];
}

function checkNames(page: ReportPage): void {
  const seen = new Set<string>();
  for (const s of page.sections) {
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(s.id)) {
      throw new InvalidArgumentError("reportHtml", "section id", "letters, digits and hyphens", s.id);
    }
    for (const b of s.blocks) {
      if (b.kind !== "figure" && b.kind !== "data") continue;
      if (!NAME.test(b.name)) {
        throw new InvalidArgumentError(
          "reportHtml",
          "name",
          "a file name of letters, digits, '.', '_', '-'",
          b.name,
        );
      }
      if (seen.has(b.name)) {
        throw new InvalidArgumentError("reportHtml", "name", "each figure and data name once", b.name);
      }
      seen.add(b.name);
    }
  }
}

function blockHtml(b: Block): string {
  switch (b.kind) {
    case "paragraph":
      return `<p>${escapeXml(b.text)}</p>`;
    case "code":
      return `${b.caption ? `<p>${escapeXml(b.caption)}</p>\n` : ""}<pre>${escapeXml(b.text)}</pre>`;
    case "table":
      return tableHtml(b.head, b.rows, b.caption);
    case "figure": {
      const svg = figureSvg(b.figure);
      const width = b.figure.width ?? 720;
      const height = b.figure.height ?? 480;
      return [
        `<figure data-name="${escapeXml(b.name)}">`,
        `<img src="${dataUri("image/svg+xml", svg)}" width="${width}" height="${height}" alt="${escapeXml(b.figure.title)}">`,
        `<figcaption>${escapeXml(b.caption)}</figcaption>`,
        `<p class="downloads">${downloadLink(`${b.name}.svg`, "figure (SVG)", "image/svg+xml", svg)}${downloadLink(`${b.name}.json`, "data (JSON)", "application/json", toJson(b.data))}</p>`,
        "</figure>",
      ].join("\n");
    }
    case "data":
      return `<p class="downloads">${escapeXml(b.label)}: ${downloadLink(`${b.name}.json`, `${b.name}.json`, "application/json", toJson(b.data))}</p>`;
  }
}

function downloadLink(file: string, label: string, mime: string, content: string): string {
  return `<a class="download" download="${escapeXml(file)}" data-file="${escapeXml(file)}" href="${dataUri(mime, content)}">${escapeXml(label)}</a>`;
}

function tableHtml(head: readonly string[], rows: readonly (readonly Cell[])[], caption?: string): string {
  const cell = (c: Cell) =>
    typeof c === "number"
      ? `<td class="num">${escapeXml(formatNumber(c))}</td>`
      : `<td${String(c).length > LONG ? ' class="long"' : ""}>${c === null ? "—" : escapeXml(String(c))}</td>`;
  return [
    caption ? `<p class="caption">${escapeXml(caption)}</p>` : "",
    '<div class="table"><table>',
    head.length > 0 ? `<thead><tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join("")}</tr></thead>` : "",
    `<tbody>${rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`).join("\n")}</tbody>`,
    "</table></div>",
  ].join("\n");
}

/** A number for a table: integers as they are, others to 6 significant digits. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Number.isInteger(x) ? String(x) : Number(x.toPrecision(6)).toString();
}

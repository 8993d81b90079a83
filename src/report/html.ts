/**
 * Small pieces of HTML and SVG text: escaping of text and attribute values, and data: URIs that
 * carry a file inside a page (a figure, the JSON behind it) so the page needs no other file.
 */

/** `s` with &, <, > and " escaped: safe as element text and as a double-quoted attribute value. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A base64 data: URI of `content` (UTF-8 text or bytes) with media type `mime`. */
export function dataUri(mime: string, content: string | Uint8Array): string {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
  return `data:${mime};base64,${bytes.toString("base64")}`;
}

/**
 * Numbers as people type them on a command line or in a plan: decimal notation only.
 * JavaScript's Number() also reads "0x10" (16), "0b11", "0o7", "Infinity" and " " (0); a
 * command-line value in those forms is far more often a slip than a wish, so it is refused.
 */

/** An optional sign, digits with an optional decimal point, an optional decimal exponent. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The finite number `text` writes in decimal notation (surrounding blanks allowed), else undefined. */
export function parseDecimal(text: string): number | undefined {
  const s = text.trim();
  if (!DECIMAL.test(s)) return undefined;
  const x = Number(s);
  return Number.isFinite(x) ? x : undefined;
}

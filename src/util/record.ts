/**
 * Records keyed by names that users choose (sizes, parameters, choices of a rule file). A plain
 * object answers `r["toString"]` or `r["constructor"]` with what it inherits, and assigning
 * `r["__proto__"]` changes its prototype instead of adding a key; these helpers never do either.
 */

/** r[key] when `key` is r's own property, else undefined (never an inherited value). */
export function own<T>(r: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(r, key) ? r[key] : undefined;
}

/** A record with exactly these entries as own properties (`__proto__` included, as a key). */
export function recordOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  return Object.fromEntries(entries) as Record<string, T>;
}

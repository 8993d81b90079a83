/**
 * The theorem catalog: every claim of the four seed papers as an executable statement, in
 * seed order, and the function that runs a selection of them.
 */
import type { CatalogRunOptions, ClaimCatalog, ClaimReport } from "../src/cli/claim-catalog.ts";
import { type Claim, runClaim } from "./claim.ts";
import { seed000Claims } from "./seed000.ts";
import { seed001Claims } from "./seed001.ts";
import { seed002Claims } from "./seed002.ts";
import { seed003Claims } from "./seed003.ts";

// biome-ignore lint/suspicious/noExplicitAny: claims differ in their instance type
export const claims: Claim<any>[] = [...seed000Claims, ...seed001Claims, ...seed002Claims, ...seed003Claims];

/** Runs the claims selected by seed and/or id (all when neither is given). */
export function runCatalog(options: CatalogRunOptions = {}): ClaimReport[] {
  const selected = claims.filter(
    (c) =>
      (options.seed === undefined || c.seed === options.seed) &&
      (options.claimId === undefined || c.id === options.claimId),
  );
  return selected.map((c, k) => {
    const report = runClaim(c, options.runSeed ?? c.runSeed);
    options.onClaim?.(k + 1, selected.length);
    return report;
  });
}

export const catalog: ClaimCatalog = {
  claims: () => claims.map((c) => ({ id: c.id, seed: c.seed, citation: c.citation })),
  run: runCatalog,
};

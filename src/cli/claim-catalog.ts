/**
 * The registry through which `learndyn check` reaches the theorem catalog. The catalog lives in
 * `theory/`, which imports from `src/` and never the reverse, so `src/` only declares the shape
 * of a catalog and a slot to hold one; the program's entry point (bin/learndyn.js) or a test
 * fills the slot with `theory/register.ts`.
 */

/** The four seed papers, by the number that prefixes their file name. */
export const SEED_IDS = ["000", "001", "002", "003"] as const;
export type SeedId = (typeof SEED_IDS)[number];

/**
 * What a check found: the claim holds as printed; fails (with a counterexample); holds once an
 * assumption the paper does not state is added (named in `assumption`); or cannot be checked
 * here (with the reason).
 */
export type VerdictKind = "holds" | "fails" | "holds-under-assumption" | "not-checkable";

/** Where a claim is printed. */
export interface Citation {
  /** Seed file name, e.g. "002_b220451760ef2ed1.txt". */
  file: string;
  /** Section or appendix, e.g. "A, Lemma A.1". */
  section: string;
  /** Equation number(s) as printed, e.g. "9" or "18-19". */
  equation?: string;
}

/** The outcome of checking one claim. */
export interface ClaimReport {
  id: string;
  seed: SeedId;
  statement: string;
  citation: Citation;
  verdict: VerdictKind;
  /** The verdict the catalog records for this claim; a different `verdict` is a regression. */
  recorded: VerdictKind;
  /**
   * The worst slack seen over all checked instances, in the unit the claim's `marginUnit` names:
   * >= 0 means every instance satisfied the claim, < 0 is the amount of the violation at the
   * counterexample. Null when the claim was not checked.
   */
  margin: number | null;
  marginUnit: string;
  /** The smallest failing instance found by shrinking, in plain numbers a reader can check. */
  counterexample?: unknown;
  /** What the counterexample shows, in words. */
  counterexampleNote?: string;
  /** A hand-picked counterexample of a false claim and its slack (negative when it fails). */
  witness?: { instance: unknown; slack: number; note?: string };
  /** The added assumption (holds-under-assumption) or the reason (not-checkable). */
  assumption?: string;
  reason?: string;
  /** Id of the claim as printed when this entry is its corrected form. */
  correctionOf?: string;
  /** Why the tolerance is what it is. */
  tolerance: string;
  /** Random seed of the run (fast-check seed); instances checked. */
  runSeed: number;
  runs: number;
  /** Result of the exact (symbolic or exact-arithmetic) part of the check, when there is one. */
  exact?: string;
}

/** Options for one catalog run. */
export interface CatalogRunOptions {
  seed?: SeedId;
  claimId?: string;
  /** Overrides each claim's recorded fast-check seed. */
  runSeed?: number;
  /** Called after each claim with the number checked so far and the number selected. */
  onClaim?: (done: number, total: number) => void;
}

/** A theorem catalog: its claim ids and a way to check them. */
export interface ClaimCatalog {
  /** Every claim, in catalog order, with where it is printed when the catalog knows it. */
  claims(): { id: string; seed: SeedId; citation?: Citation }[];
  /** Checks the selected claims. Unknown ids and seeds are the caller's to refuse. */
  run(options: CatalogRunOptions): ClaimReport[];
}

let registered: ClaimCatalog | undefined;

/** Installs the catalog (called by theory/register.ts). */
export function registerClaimCatalog(catalog: ClaimCatalog): void {
  registered = catalog;
}

/** The installed catalog, or undefined when none was installed. */
export function claimCatalog(): ClaimCatalog | undefined {
  return registered;
}

/** Installs the theorem catalog into the CLI's registry (imported by bin/learndyn.js and tests). */
import { registerClaimCatalog } from "../src/cli/claim-catalog.ts";
import { catalog } from "./catalog.ts";

registerClaimCatalog(catalog);

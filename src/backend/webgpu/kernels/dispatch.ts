/**
 * Spreading a one-dimensional range of invocations over a 2-D grid of workgroups, because one
 * grid dimension holds at most maxComputeWorkgroupsPerDimension (65535 by default) workgroups.
 * Kernels recover their flat index as (wid.y * nx + wid.x) * WG + lid, and skip indices past the
 * end.
 */
import { BoundExceededError } from "../../../util/errors.ts";

/** Workgroup grid [nx, ny] covering `invocations` with workgroups of `workgroupSize`. */
export function dispatchGrid(
  invocations: number,
  workgroupSize: number,
  maxPerDimension: number,
): [number, number] {
  const groups = Math.max(1, Math.ceil(invocations / workgroupSize));
  const nx = Math.min(groups, maxPerDimension);
  const ny = Math.ceil(groups / nx);
  if (ny > maxPerDimension) {
    throw new BoundExceededError(
      "dispatchGrid",
      "maxComputeWorkgroupsPerDimension squared (workgroups of one dispatch)",
      maxPerDimension * maxPerDimension,
      groups,
    );
  }
  return [nx, ny];
}

/** The WGSL line that computes the flat invocation index `gid` (needs wid, nwg and lid). */
export const flatIndexWgsl = "let gid = (wid.y * nwg.x + wid.x) * WG + lid;";

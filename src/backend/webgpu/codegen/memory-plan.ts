/**
 * Placing a program's stored nodes in memory: workgroup memory (on chip, per workgroup) while it
 * fits the device's maxComputeWorkgroupStorageSize, the rest in a per-member scratch block of a
 * storage buffer (an output written over its state in place needs neither). Two nodes share words only when their lifetimes (from the phase that computes
 * one to the last phase that reads it) are disjoint. Nodes are placed in program order, each at
 * the lowest offset free over its lifetime (first fit), workgroup memory first.
 */

import type { IrProgram } from "../../../ir/program.ts";
import type { FusionPlan } from "./fusion-plan.ts";

/** A block of memory that must hold `words` floats from phase `first` to phase `last`. */
export interface Region {
  readonly words: number;
  readonly first: number;
  readonly last: number;
}

export type Arena = "workgroup" | "storage";

export interface Placement {
  readonly arena: Arena;
  readonly offset: number;
}

export interface MemoryPlan {
  /** Per region, in the order given. */
  readonly placements: readonly Placement[];
  /** Words of workgroup memory used (at most the capacity). */
  readonly workgroupWords: number;
  /** Words of scratch per member. */
  readonly storageWords: number;
}

const overlaps = (a: Region, b: Region) => a.first <= b.last && b.first <= a.last;

/** Lowest offset at which `r` fits among `placed` (offset and region) without overlapping any live one. */
function firstFit(r: Region, placed: readonly { offset: number; region: Region }[]): number {
  const busy = placed
    .filter((p) => overlaps(p.region, r))
    .map((p) => [p.offset, p.offset + p.region.words] as const)
    .sort((x, y) => x[0] - y[0]);
  let at = 0;
  for (const [start, end] of busy) {
    if (at + r.words <= start) break;
    at = Math.max(at, end);
  }
  return at;
}

/** Places `regions`; `workgroupCapacity` is the number of floats of workgroup memory available. */
export function planMemory(regions: readonly Region[], workgroupCapacity: number): MemoryPlan {
  const inWorkgroup: { offset: number; region: Region }[] = [];
  const inStorage: { offset: number; region: Region }[] = [];
  const placements = regions.map((region): Placement => {
    const w = firstFit(region, inWorkgroup);
    if (region.words > 0 && w + region.words <= workgroupCapacity) {
      inWorkgroup.push({ offset: w, region });
      return { arena: "workgroup", offset: w };
    }
    const s = firstFit(region, inStorage);
    inStorage.push({ offset: s, region });
    return { arena: "storage", offset: s };
  });
  const top = (list: typeof inWorkgroup) => Math.max(0, ...list.map((p) => p.offset + p.region.words));
  return { placements, workgroupWords: top(inWorkgroup), storageWords: top(inStorage) };
}

/** Regions of the stored nodes of a planned program that live in memory (not written in place). */
export function programRegions(program: IrProgram, plan: FusionPlan) {
  const inPlaceNodes = new Set(program.outputs.filter((_, k) => plan.inPlace[k]));
  const stored: number[] = [];
  const regions: Region[] = [];
  program.nodes.forEach((n, k) => {
    if (!plan.materialized[k] || inPlaceNodes.has(k)) return;
    const first = plan.phaseOf[k]!;
    stored.push(k);
    regions.push({
      words: (n.type.perSample ? program.sampleCount : 1) * n.type.rows * n.type.cols,
      first,
      last: Math.max(first, plan.lastRead[k]!),
    });
  });
  return { stored, regions };
}

/** Placements indexed by node. */
export function placementsByNode(count: number, stored: readonly number[], memory: MemoryPlan) {
  const out: (MemoryPlan["placements"][number] | undefined)[] = new Array(count);
  stored.forEach((k, r) => {
    out[k] = memory.placements[r];
  });
  return out;
}

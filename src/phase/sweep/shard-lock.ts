/**
 * One runner per shard: a lock file per shard (locks/shard-NNNN.lock) names the process that runs
 * it (pid, host, start). It is created atomically (written to a temporary file, then hard-linked
 * into place, which fails when a lock exists), so two runners on one directory never run the same
 * shard. Its modification time is a heartbeat, renewed after every task and by a timer.
 *
 * Stale-lock rule: a lock is stale when its holder is on this host and its pid is not a live node
 * process, when
 * it cannot be read, or when its heartbeat is older than `staleMs` (a holder on another host that
 * died with its node). A stale lock is taken over: renamed aside (only one runner's rename
 * succeeds), checked to be the lock judged stale, then replaced.
 */
import {
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { LearndynError } from "../../util/errors.ts";
import { lockPath } from "./layout.ts";
import { isRecord, onSweepFile, readJsonFile } from "./sweep-files.ts";

/** Who holds a shard lock. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** ISO time the lock was taken. */
  readonly started: string;
  /** Slurm job and array task, when run by Slurm. */
  readonly slurm?: string;
}

/** Raised when another live process runs the shard. */
export class ShardLockedError extends LearndynError {
  override name = "ShardLockedError";
  constructor(
    readonly shard: number,
    readonly owner: LockOwner,
    readonly path: string,
    readonly heartbeatAgeMs: number,
    readonly staleMs: number,
  ) {
    super(
      `shard ${shard} is being run by pid ${owner.pid} on host ${owner.host}${owner.slurm ? ` (Slurm ${owner.slurm})` : ""} since ${owner.started} ` +
        `(last heartbeat ${Math.round(heartbeatAgeMs / 1000)} s ago; a holder on another host counts as dead after ${Math.round(staleMs / 1000)} s without one, or remove ${path})`,
    );
  }
}

/** Default heartbeat age after which a lock held on another host is stale (10 minutes). */
export const DEFAULT_STALE_MS = 10 * 60_000;
/** How often a holder renews its heartbeat while idle or between tasks. */
export const HEARTBEAT_MS = 30_000;

export interface ShardLock {
  readonly path: string;
  /** Renews the heartbeat (the lock file's modification time). */
  heartbeat(): void;
  /** Removes the lock if this process still holds it. */
  release(): void;
}

/** Locks held by this process, released by {@link releaseHeldLocks} (e.g. on SIGTERM). */
const held = new Set<ShardLock>();

/** Releases every lock this process holds (for signal handlers before exiting). */
export function releaseHeldLocks(): void {
  for (const lock of [...held]) lock.release();
}

/**
 * Whether `pid` is a live process that can be a holder: it exists, and where /proc tells, it is
 * a node process (a pid reused by another program after the holder died is not a holder).
 */
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    return /node/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
  } catch {
    return true; // no /proc: trust the pid
  }
};

const readOwner = (path: string): LockOwner | null => {
  const r = readJsonFile(path);
  if (!("value" in r) || !isRecord(r.value)) return null;
  const v = r.value;
  return typeof v.pid === "number" && typeof v.host === "string" && typeof v.started === "string"
    ? (v as unknown as LockOwner)
    : null;
};

const sameOwner = (a: LockOwner | null, b: LockOwner | null) =>
  a !== null && b !== null && a.pid === b.pid && a.host === b.host && a.started === b.started;

/** Takes the lock of `shard` in `dir`, taking over a stale one; throws ShardLockedError if held. */
export function acquireShardLock(dir: string, shard: number, staleMs = DEFAULT_STALE_MS): ShardLock {
  const path = lockPath(dir, shard);
  const me: LockOwner = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    ...(process.env.SLURM_JOB_ID
      ? {
          slurm: `${process.env.SLURM_ARRAY_JOB_ID ?? process.env.SLURM_JOB_ID}_${process.env.SLURM_ARRAY_TASK_ID ?? ""}`,
        }
      : {}),
  };
  onSweepFile("acquireShardLock", "create the lock folder", dirname(path), () =>
    mkdirSync(dirname(path), { recursive: true }),
  );
  for (let attempt = 0; attempt < 5; attempt++) {
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    onSweepFile("acquireShardLock", "write", tmp, () => writeFileSync(tmp, `${JSON.stringify(me)}\n`));
    try {
      linkSync(tmp, path);
      rmSync(tmp, { force: true });
      const lock: ShardLock = {
        path,
        heartbeat: () => {
          const now = new Date();
          if (sameOwner(readOwner(path), me)) utimesSync(path, now, now);
        },
        release: () => {
          held.delete(lock);
          if (sameOwner(readOwner(path), me)) rmSync(path, { force: true });
        },
      };
      held.add(lock);
      return lock;
    } catch (e) {
      rmSync(tmp, { force: true });
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
        return onSweepFile("acquireShardLock", "create", path, () => {
          throw e;
        });
      }
    }
    // A lock exists: is it stale?
    const owner = readOwner(path);
    let age = 0;
    try {
      age = Date.now() - statSync(path).mtimeMs;
    } catch {
      continue; // released meanwhile: try again
    }
    const stale =
      owner === null ||
      (owner.host === me.host && !isAlive(owner.pid)) ||
      (owner.host !== me.host && age > staleMs);
    if (!stale) throw new ShardLockedError(shard, owner, path, age, staleMs);
    const aside = `${path}.stale.${process.pid}`;
    try {
      renameSync(path, aside);
    } catch {
      continue; // another runner took it over first
    }
    // Renamed what was judged stale, or (in a race) a fresh lock another runner had just taken?
    const moved = readOwner(aside);
    if (owner !== null && !sameOwner(moved, owner)) {
      try {
        linkSync(aside, path); // give it back
      } catch {}
    }
    rmSync(aside, { force: true });
  }
  throw new LearndynError(
    `acquireShardLock: could not take ${path} after 5 attempts (other runners are racing for it)`,
  );
}

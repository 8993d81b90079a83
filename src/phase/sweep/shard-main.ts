/**
 * Process entry for one shard:
 *   node --import tsx src/phase/sweep/shard-main.ts DIR SHARD [BACKEND] [--dtype D] [--parent PID]
 *     [--accept-code-change]
 * Used by `learndyn sweep run` (child processes, with --parent: the process dies with its runner)
 * and by the Slurm array script (one array task per shard). BACKEND is a registered backend name
 * or auto (the default: chosen on this machine for the shard's first tasks, sweep-backend.ts);
 * --dtype the element type a named backend computes in (registry.ts). Prints one JSON line per finished task on stdout, and a summary line at the end;
 * a lost GPU device is reported on stderr and the shard goes on on the CPU.
 *
 * Each result is on disk as soon as it is known, so SIGTERM (Slurm's time limit or scancel, a
 * runner stopping) ends the process at the next moment the event loop is free: it releases the
 * shard lock, prints a "stopped" line and exits with 143.
 *
 * Exit codes: 0 the shard completed (failed tasks included); 2 a refused input (an unknown
 * backend, webgpu without an adapter, files of another plan, results of other code); 3 the shard
 * is run by another live process; 143 stopped by SIGTERM (130 by SIGINT).
 */
import { LearndynError } from "../../util/errors.ts";
import { lockPath } from "./layout.ts";
import { runShard } from "./run-shard.ts";
import { guardShardProcess } from "./shard-guard.ts";
import { HEARTBEAT_MS, releaseHeldLocks, ShardLockedError } from "./shard-lock.ts";
import { chooseSweepBackend } from "./sweep-backend.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args.splice(i, name === "--accept-code-change" ? 1 : 2).at(-1);
};
const parent = flag("--parent");
const dtype = flag("--dtype");
const acceptCodeChange = flag("--accept-code-change") !== undefined;
const [dir, shardText, backendName = "auto"] = args;
const shard = Number(shardText);
if (
  dir === undefined ||
  shardText === undefined ||
  !Number.isInteger(shard) ||
  (parent !== undefined && !Number.isInteger(Number(parent)))
) {
  process.stderr.write(
    "usage: shard-main.ts SWEEP_DIR SHARD_INDEX [BACKEND] [--dtype D] [--parent PID] [--accept-code-change]\n",
  );
  process.exit(2);
}
for (const [signal, code] of [
  ["SIGTERM", 143],
  ["SIGINT", 130],
] as const) {
  process.on(signal, () => {
    releaseHeldLocks();
    process.stdout.write(`${JSON.stringify({ event: "stopped", shard, signal })}\n`);
    process.exit(code);
  });
}
// A closed pipe (the runner is gone) fails the next write: release the lock before exiting, as on SIGTERM.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", () => {
    releaseHeldLocks();
    process.exit(141);
  });
}
if (parent !== undefined) guardShardProcess(Number(parent), lockPath(dir, shard), HEARTBEAT_MS);
try {
  const { backend, choice } = await chooseSweepBackend(
    "shard-main",
    dir,
    backendName,
    shard,
    dtype === undefined ? {} : { dtype },
  );
  if (choice) process.stderr.write(`shard ${shard}: ${choice.summary}\n`);
  const summary = await runShard(dir, shard, {
    backend,
    acceptCodeChange,
    onTask: (r) => {
      process.stdout.write(`${JSON.stringify({ event: "task", id: r.id, status: r.status })}\n`);
    },
    onFallback: (loss) => {
      process.stderr.write(`shard ${shard}: ${loss.message}; going on with the cpu backend\n`);
    },
  });
  process.stdout.write(`${JSON.stringify({ event: "shard", ...summary })}\n`);
  // A backend may hold worker threads or a device that would keep the process alive.
  process.exit(0);
} catch (e) {
  if (e instanceof LearndynError) {
    process.stderr.write(`shard ${shard}: ${e.message}\n`);
    process.exit(e instanceof ShardLockedError ? 3 : 2);
  }
  throw e;
}

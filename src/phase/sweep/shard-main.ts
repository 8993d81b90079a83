/**
 * Process entry for one shard: `node --import tsx src/phase/sweep/shard-main.ts DIR SHARD [BACKEND]`.
 * Used by `learndyn sweep run` (child processes) and by the Slurm array script (one array task
 * per shard). BACKEND is a registered backend name or auto (the default: chosen on this machine
 * for the shard's first tasks, src/phase/sweep/sweep-backend.ts). Prints one JSON line per
 * finished task on stdout, and a summary line at the end; a lost GPU device is reported on
 * stderr and the shard goes on on the CPU. Exit code 0 when the shard completed (failed tasks
 * included), 2 on a refused input (an unknown backend, or webgpu without an adapter).
 */
import { LearndynError } from "../../util/errors.ts";
import { runShard } from "./run-shard.ts";
import { chooseSweepBackend } from "./sweep-backend.ts";

const [dir, shardText, backendName = "auto"] = process.argv.slice(2);
const shard = Number(shardText);
if (dir === undefined || shardText === undefined || !Number.isInteger(shard)) {
  process.stderr.write("usage: shard-main.ts SWEEP_DIR SHARD_INDEX [BACKEND]\n");
  process.exit(2);
}
try {
  const { backend, choice } = await chooseSweepBackend("shard-main", dir, backendName, shard);
  if (choice) process.stderr.write(`shard ${shard}: ${choice.summary}\n`);
  const summary = await runShard(dir, shard, {
    backend,
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
    process.exit(2);
  }
  throw e;
}

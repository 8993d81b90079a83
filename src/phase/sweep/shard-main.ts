/**
 * Process entry for one shard: `node --import tsx src/phase/sweep/shard-main.ts DIR SHARD`.
 * Used by `learndyn sweep run` (child processes) and by the Slurm array script (one array task
 * per shard). Prints one JSON line per finished task on stdout, and a summary line at the end.
 * Exit code 0 when the shard completed (failed tasks included), 2 on a refused input.
 */
import { LearndynError } from "../../util/errors.ts";
import { runShard } from "./run-shard.ts";

const [dir, shardText] = process.argv.slice(2);
const shard = Number(shardText);
if (dir === undefined || shardText === undefined || !Number.isInteger(shard)) {
  process.stderr.write("usage: shard-main.ts SWEEP_DIR SHARD_INDEX\n");
  process.exit(2);
}
try {
  const summary = await runShard(dir, shard, (r) => {
    process.stdout.write(`${JSON.stringify({ event: "task", id: r.id, status: r.status })}\n`);
  });
  process.stdout.write(`${JSON.stringify({ event: "shard", ...summary })}\n`);
} catch (e) {
  if (e instanceof LearndynError) {
    process.stderr.write(`shard ${shard}: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}

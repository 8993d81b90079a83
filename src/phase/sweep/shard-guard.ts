/**
 * A shard process started by a runner must not outlive it: a worker thread (it runs even while
 * the main thread is busy in a long task) checks every 200 ms that the process's parent is still
 * the runner; when the runner is gone (killed, even with SIGKILL) it removes this process's shard
 * lock and kills the process. The same thread renews the lock's heartbeat. Node has no
 * parent-death signal, hence the polling thread.
 */
import { Worker } from "node:worker_threads";

// Plain JavaScript run with eval (CommonJS), so the thread starts without the TypeScript loader.
const GUARD = `
const { workerData } = require("node:worker_threads");
const fs = require("node:fs");
const { parentPid, lockPath, heartbeatMs } = workerData;
const mine = () => { try { return JSON.parse(fs.readFileSync(lockPath, "utf8")).pid === process.pid; } catch { return false; } };
setInterval(() => {
  if (process.ppid === parentPid) return;
  if (mine()) fs.rmSync(lockPath, { force: true });
  process.kill(process.pid, "SIGKILL");
}, 200);
setInterval(() => { if (mine()) { const t = new Date(); try { fs.utimesSync(lockPath, t, t); } catch {} } }, heartbeatMs);
`;

/** Starts the guard thread of a shard process whose runner is `parentPid` (see module comment). */
export function guardShardProcess(parentPid: number, lockPath: string, heartbeatMs: number): void {
  const worker = new Worker(GUARD, { eval: true, workerData: { parentPid, lockPath, heartbeatMs } });
  worker.unref();
}

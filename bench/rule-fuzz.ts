/**
 * The full fuzz run of both rule languages: seeded mutations of the scalar and network rule
 * files (test/rules/rule-fuzz-corpus.ts: the mutations and the oracle) through the parser and,
 * for the files that parse, the symbolic analysis under a time budget with its numeric twins, or
 * the network compiler and one step. Each case runs in a child process (bench/rule-fuzz-worker.ts)
 * with a hard time bound and a heap bound: a case past its bound is killed and counted as a hang,
 * a child that dies (heap exhausted) as a crash, each with its file saved; the child restarts.
 *
 * Outcome classes: ok; errorAtPosition (a LearndynError with line:column); errorTyped (a
 * LearndynError of the analysis or compiler, where no source position exists); partial (a bound
 * hit with its step named: the analysis's time budget or a size bound); crash (any other
 * exception, with its stack, or a dead child); hang; wrongAnswer (an oracle violation: a claim a
 * numeric twin contradicts, or a parser error without line:column).
 *
 * Every case is appended to a log (--log, default bench/results/rule-fuzz.cases.jsonl, not
 * committed) as it finishes, and the summary (--out, default bench/results/rule-fuzz.json) is
 * rewritten every 30 s with "complete": false, so an interrupted run loses at most the case in
 * flight; running again with the same settings resumes from the log (--fresh starts over).
 * Progress (rate, ETA) is drawn on a terminal only (LEARNDYN_PROGRESS=1 forces it).
 *
 * Run: nice npx tsx bench/rule-fuzz.ts [--scalar N] [--network N] [--budget SECONDS]
 *        [--hang SECONDS] [--heap MiB] [--out FILE] [--log FILE] [--fresh]
 * (defaults 8000, 4000, 1 s, 60 s, 4096 MiB). Mutation k of a language uses seed first + k, so a
 * smaller N runs a prefix of the full corpus. test/rules/rule-fuzz.test.ts runs the first 400
 * scalar seeds; test/rules/network-fuzz.test.ts runs network mutations.
 */
import { type ChildProcess, fork } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import {
  builtinNetworkRuleNames,
  builtinNetworkRulePath,
} from "../src/rules/network/builtin-network-rules.ts";
import { codeVersion } from "../src/util/code-version.ts";
import { median } from "../src/util/median.ts";
import { progressBar } from "../src/util/progress.ts";
import { Rng } from "../src/util/random.ts";
import { mutate, scalarSources } from "../test/rules/rule-fuzz-corpus.ts";
import type { FuzzAnswer, FuzzCase, FuzzClass } from "./rule-fuzz-worker.ts";

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1]! : fallback;
};
const count = (name: string, fallback: number, integer = true) => {
  const v = Number(option(name, String(fallback)));
  if (!(v >= 0) || (integer && !Number.isInteger(v)) || !Number.isFinite(v)) {
    console.error(
      `rule-fuzz: ${name} must be a ${integer ? "non-negative integer" : "positive number"}, got ${option(name, "")}`,
    );
    process.exit(2);
  }
  return v;
};
const settings = {
  scalar: count("--scalar", 8000),
  network: count("--network", 4000),
  budgetSeconds: count("--budget", 1, false),
  hangSeconds: count("--hang", 60, false),
  heapMiB: count("--heap", 4096),
};
const outFile = option("--out", "bench/results/rule-fuzz.json");
const logFile = option("--log", "bench/results/rule-fuzz.cases.jsonl");

/** The seeds of test/rules/rule-fuzz.test.ts continue here, so the test is this run's prefix. */
const SCALAR_SEED = 20_261_205;
const NETWORK_SEED = 30_261_205;
const CLASSES: FuzzClass[] = [
  "ok",
  "errorAtPosition",
  "errorTyped",
  "partial",
  "crash",
  "hang",
  "wrongAnswer",
];
const FAILING: FuzzClass[] = ["crash", "hang", "wrongAnswer"];

type Kind = FuzzCase["kind"];
interface LogEntry extends FuzzAnswer {
  kind: Kind;
  /** The mutated file, kept for the failing classes. */
  text?: string;
}

const languages: { kind: Kind; firstSeed: number; size: number; sources: string[] }[] = [
  { kind: "scalar", firstSeed: SCALAR_SEED, size: settings.scalar, sources: scalarSources() },
  {
    kind: "network",
    firstSeed: NETWORK_SEED,
    size: settings.network,
    sources: builtinNetworkRuleNames().map((n) => readFileSync(builtinNetworkRulePath(n), "utf8")),
  },
];

function mutation(kind: Kind, seed: number): string {
  const sources = languages.find((l) => l.kind === kind)!.sources;
  const rng = new Rng(seed);
  return mutate(sources[rng.int(sources.length)]!, rng);
}

// ---- the log: a header with the settings that decide outcomes, then one line per case ----

const header = {
  bench: "rule-fuzz",
  budgetSeconds: settings.budgetSeconds,
  hangSeconds: settings.hangSeconds,
  heapMiB: settings.heapMiB,
  scalarSeed: SCALAR_SEED,
  networkSeed: NETWORK_SEED,
};
const done = new Map<string, LogEntry>();
const key = (kind: Kind, seed: number) => `${kind}:${seed}`;
let priorWallSeconds = 0;
if (flag("--fresh")) rmSync(logFile, { force: true });
if (existsSync(logFile)) {
  const lines = readFileSync(logFile, "utf8").split("\n").filter(Boolean);
  const first = lines.length > 0 ? JSON.parse(lines[0]!) : null;
  if (JSON.stringify(first?.header) !== JSON.stringify(header)) {
    console.error(
      `rule-fuzz: ${logFile} was written with other settings (${JSON.stringify(first?.header)}); run with --fresh or another --log`,
    );
    process.exit(2);
  }
  for (const line of lines.slice(1)) {
    try {
      const e = JSON.parse(line) as LogEntry & { wallSeconds?: number };
      if (e.wallSeconds !== undefined) priorWallSeconds = e.wallSeconds;
      else done.set(key(e.kind, e.seed), e);
    } catch {
      // a line cut short by a kill: that case runs again
    }
  }
} else {
  mkdirSync(dirname(logFile), { recursive: true });
  writeFileSync(logFile, `${JSON.stringify({ header })}\n`);
}
const resumed = done.size;

// ---- the child ----

const workerPath = fileURLToPath(new URL("./rule-fuzz-worker.ts", import.meta.url));
let child: ChildProcess | null = null;
function startChild(): ChildProcess {
  // process.execArgv carries tsx's loader into the child
  const c = fork(workerPath, [], {
    execArgv: [...process.execArgv, `--max-old-space-size=${settings.heapMiB}`],
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  c.stderr!.on("data", () => {}); // a dying child's heap report is not ours to print
  return c;
}

/** Runs one case in the child; kills and replaces the child on a hang or a death. */
function runCase(c: FuzzCase): Promise<FuzzAnswer> {
  child ??= startChild();
  const proc = child;
  const start = performance.now();
  return new Promise((resolve) => {
    const finish = (answer: FuzzAnswer) => {
      clearTimeout(timer);
      proc.off("message", onMessage);
      proc.off("exit", onExit);
      resolve(answer);
    };
    const onMessage = (a: FuzzAnswer) => finish(a);
    const onExit = (code: number | null, signal: string | null) => {
      child = null;
      finish({
        seed: c.seed,
        class: "crash",
        detail: `the child process died (exit code ${code}, signal ${signal}; heap bound ${settings.heapMiB} MiB)`,
        ms: Math.round(performance.now() - start),
      });
    };
    const timer = setTimeout(() => {
      proc.off("exit", onExit);
      proc.kill("SIGKILL");
      child = null;
      finish({
        seed: c.seed,
        class: "hang",
        detail: `killed after ${settings.hangSeconds} s (analysis budget ${settings.budgetSeconds} s)`,
        ms: Math.round(performance.now() - start),
      });
    }, settings.hangSeconds * 1000);
    proc.on("message", onMessage);
    proc.on("exit", onExit);
    proc.send(c);
  });
}

// ---- the summary ----

const started = performance.now();
const wallSeconds = () => Math.round(priorWallSeconds + (performance.now() - started) / 1000);

function summary(complete: boolean) {
  const runs = languages.map((l) => {
    const entries: LogEntry[] = [];
    for (let k = 0; k < l.size; k++) {
      const e = done.get(key(l.kind, l.firstSeed + k));
      if (e) entries.push(e);
    }
    const classes = Object.fromEntries(CLASSES.map((c) => [c, 0])) as Record<FuzzClass, number>;
    const partialSteps: Record<string, number> = {};
    const errorKinds: Record<string, number> = {};
    for (const e of entries) {
      classes[e.class]++;
      if (e.class === "partial")
        for (const step of (e.detail ?? "").matchAll(/(?:^|; )(\w+): /g))
          partialSteps[step[1]!] = (partialSteps[step[1]!] ?? 0) + 1;
      if (e.class === "errorAtPosition" || e.class === "errorTyped") {
        const name = /(\w+Error):/.exec(e.detail ?? "")?.[1] ?? "other";
        errorKinds[name] = (errorKinds[name] ?? 0) + 1;
      }
    }
    const slowest = entries.reduce((a, e) => (e.ms > a.ms ? e : a), { seed: 0, ms: 0 } as {
      seed: number;
      ms: number;
    });
    return {
      kind: l.kind,
      firstSeed: l.firstSeed,
      mutations: l.size,
      done: entries.length,
      classes,
      partialSteps,
      errorKinds,
      medianMs: entries.length > 0 ? median(entries.map((e) => e.ms)) : null,
      slowest: { seed: slowest.seed, ms: slowest.ms },
      failures: entries
        .filter((e) => FAILING.includes(e.class))
        .slice(0, 50)
        .map((e) => ({ seed: e.seed, class: e.class, detail: e.detail, text: e.text?.slice(0, 2000) })),
    };
  });
  const total = Object.fromEntries(
    CLASSES.map((c) => [c, runs.reduce((s, r) => s + r.classes[c], 0)]),
  ) as Record<FuzzClass, number>;
  return {
    bench: "rule-fuzz",
    complete,
    size: { scalar: settings.scalar, network: settings.network, total: settings.scalar + settings.network },
    done: runs.reduce((s, r) => s + r.done, 0),
    ...settings,
    classes: total,
    wallSeconds: wallSeconds(),
    node: process.version,
    code: codeVersion(),
    runs,
  };
}
const writeSummary = (complete: boolean) => {
  const s = summary(complete);
  writeFileSync(outFile, `${JSON.stringify(s, null, 2)}\n`);
  return s;
};

// ---- the run ----

const todo: { kind: Kind; seed: number }[] = languages.flatMap((l) =>
  Array.from({ length: l.size }, (_, k) => ({ kind: l.kind, seed: l.firstSeed + k })).filter(
    (c) => !done.has(key(c.kind, c.seed)),
  ),
);
if (resumed > 0)
  console.error(`rule-fuzz: resuming from ${logFile} (${resumed} cases done, ${todo.length} to run)`);
const progress = progressBar("rule-fuzz", todo.length);
let stopping = false;
const stop = () => {
  stopping = true;
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
let lastWrite = performance.now();
for (const { kind, seed } of todo) {
  if (stopping) break;
  const text = mutation(kind, seed);
  const answer = await runCase({ kind, seed, text, budgetSeconds: settings.budgetSeconds });
  const entry: LogEntry = { kind, ...answer, ...(FAILING.includes(answer.class) ? { text } : {}) };
  done.set(key(kind, seed), entry);
  appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
  progress.tick();
  if (performance.now() - lastWrite > 30_000) {
    writeSummary(false);
    appendFileSync(logFile, `${JSON.stringify({ wallSeconds: wallSeconds() })}\n`);
    lastWrite = performance.now();
  }
}
progress.done();
(child as ChildProcess | null)?.kill("SIGKILL");
appendFileSync(logFile, `${JSON.stringify({ wallSeconds: wallSeconds() })}\n`);
const result = writeSummary(!stopping);
console.log(
  JSON.stringify(
    { ...result, runs: result.runs.map((r) => ({ ...r, failures: r.failures.length })) },
    null,
    2,
  ),
);
if (stopping) process.exit(130);

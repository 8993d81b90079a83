/**
 * `learndyn phase FILE.matrix --over X,Y --out DIR [--x-range LO:HI] [--y-range LO:HI] [--nx N]
 * [--ny N] [--x-scale log|linear] [--set NAME=V]... [--json]`: the analytic stability boundary of a
 * random-matrix expression over two of its params (src/phase/expression-phase.ts), written as
 * JSON, CSV and the figure (src/report/expression-phase-diagram.ts).
 */
import { readFileSync } from "node:fs";
import { type ExpressionPhase, expressionPhase, type PhaseAxis } from "../../phase/expression-phase.ts";
import { writeExpressionPhaseDiagram } from "../../report/expression-phase-diagram.ts";
import { parseMatrixExpression } from "../../spectra/free/expression-parse.ts";
import { noncommutativePolynomial, selfAdjointDefect } from "../../spectra/free/noncommutative-polynomial.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { toJson } from "../../util/io.ts";
import { progressBar } from "../../util/progress.ts";
import { assignmentOption, numberOption } from "../args.ts";
import type { CliIO } from "../command.ts";

export interface ExpressionPhaseCliOptions {
  over?: string;
  xRange?: string;
  yRange?: string;
  nx?: string;
  ny?: string;
  xScale?: string;
  set: string[];
  out?: string;
  json: boolean;
}

/** Largest grid side (a 1000 × 1000 sign map takes minutes). */
const MAX_SIDE = 1000;

function range(option: string, text: string | undefined, fallback: [number, number]): [number, number] {
  if (text === undefined) return fallback;
  const parts = text.split(":");
  if (parts.length !== 2)
    throw new InvalidArgumentError("phase", `--${option}`, "LO:HI, e.g. 0.01:100", text);
  const lo = numberOption("phase", option, parts[0]);
  const hi = numberOption("phase", option, parts[1], { greaterThan: lo });
  return [lo, hi];
}

export function expressionPhaseCommand(file: string, o: ExpressionPhaseCliOptions, io: CliIO): number {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new InvalidArgumentError("phase", "FILE", "a readable .matrix file", file);
  }
  return expressionTextPhase(text, file, o, io);
}

/**
 * The map of the expression `text` (named `file` in messages and output); `extra` is added to
 * the JSON and its keys printed first (e.g. the law a rule's Jacobian was derived to).
 */
export function expressionTextPhase(
  text: string,
  file: string,
  o: ExpressionPhaseCliOptions,
  io: CliIO,
  extra: {
    json?: Record<string, unknown>;
    lines?: string[];
    /** Run after the map: more JSON keys and lines printed after the table. */
    after?: (p: ExpressionPhase) => { json: Record<string, unknown>; lines: string[] };
  } = {},
): number {
  const fn = "phase";
  const names = (o.over ?? "").split(",").map((s) => s.trim());
  if (o.over === undefined || names.length !== 2 || names.some((n) => n === ""))
    throw new InvalidArgumentError(
      fn,
      "--over",
      "two params of the expression file, e.g. c,alpha",
      o.over ?? "nothing",
    );
  if (o.out === undefined)
    throw new InvalidArgumentError(fn, "--out", "a directory for the map's files", "nothing");
  if (o.xScale !== undefined && o.xScale !== "log" && o.xScale !== "linear")
    throw new InvalidArgumentError(fn, "--x-scale", "log or linear", o.xScale);
  const params: Record<string, number> = {};
  for (const t of o.set) {
    const [k, v] = assignmentOption(fn, "set", t);
    if (typeof v !== "number")
      throw new InvalidArgumentError(fn, "--set", "NAME=NUMBER for an expression's param", t);
    params[k] = v;
  }
  const xLog = (o.xScale ?? "log") === "log";
  const [xlo, xhi] = range("x-range", o.xRange, [0.01, 100]);
  const [ylo, yhi] = range("y-range", o.yRange, [0, 1]);
  // A Brown map computes every cell (seconds each): a small default grid.
  const brown =
    selfAdjointDefect(
      noncommutativePolynomial(parseMatrixExpression(text, { params, source: file }).expression),
    ) !== null;
  const side = (option: string, v: string | undefined) =>
    numberOption(
      fn,
      option,
      v,
      { integer: true, min: 2, max: MAX_SIDE },
      brown ? (option === "nx" ? 16 : 5) : 200,
    );
  const x: PhaseAxis = { name: names[0]!, lo: xlo, hi: xhi, count: side("nx", o.nx), log: xLog };
  const y: PhaseAxis = { name: names[1]!, lo: ylo, hi: yhi, count: side("ny", o.ny), log: false };
  const t0 = performance.now();
  const bar = brown ? progressBar("phase (Brown measure)", x.count * y.count) : null;
  const p = expressionPhase(text, file, x, y, params, { onCell: () => bar?.tick() });
  bar?.done();
  const seconds = (performance.now() - t0) / 1000;
  const files = writeExpressionPhaseDiagram(o.out, p);
  const after = extra.after?.(p);
  if (o.json) {
    io.out(
      toJson({
        source: file,
        ...extra.json,
        measure: p.measure,
        params: p.params,
        x,
        y,
        boundary: p.boundary,
        cellsComputed: p.map.computed,
        failures: p.map.failures,
        seconds,
        ...after?.json,
        files,
      }),
    );
    return 0;
  }
  for (const line of extra.lines ?? []) io.out(line);
  io.out(
    `${file}: stability (${brown ? "leftmost point of the Brown measure" : "lower edge"} > 0) over ${x.name} × ${y.name}, ${x.count} × ${y.count} cells (${p.map.computed} computed, ${p.map.failures.length} failed) in ${seconds.toFixed(2)} s`,
  );
  io.out(`  ${y.name.padEnd(10)} ${`${x.name}*`.padEnd(13)} status`);
  const every = Math.max(1, Math.floor(p.boundary.length / 10));
  for (const b of p.boundary.filter((_, k) => k % every === 0 || k === p.boundary.length - 1)) {
    const xs = b.crossings.map((c) => c.x.toPrecision(6)).join(", ") || "—";
    io.out(`  ${b.y.toFixed(4).padEnd(10)} ${xs.padEnd(13)} ${b.status}`);
  }
  for (const line of after?.lines ?? []) io.out(line);
  io.out(`written: ${files.join(", ")}`);
  return 0;
}

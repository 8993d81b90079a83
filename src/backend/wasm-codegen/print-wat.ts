/**
 * A ModuleBuilder as WebAssembly text (the linear, unfolded instruction syntax), so that a
 * generated kernel can be read, diffed or assembled by any WebAssembly toolchain
 * (e.g. `wat2wasm --enable-simd`). Locals carry the names the generator gave them.
 */
import type { FunctionBuilder, ModuleBuilder } from "./module-builder.ts";
import { OPCODES } from "./opcodes.ts";

function float(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Number.POSITIVE_INFINITY) return "inf";
  if (x === Number.NEGATIVE_INFINITY) return "-inf";
  if (Object.is(x, -0)) return "-0x0p+0";
  // The shortest decimal that reads back to the same float64.
  return String(x);
}

function signature(params: readonly string[], results: readonly string[], names?: readonly string[]): string {
  const p = params.map((t, k) => (names ? ` (param $${names[k]} ${t})` : ` (param ${t})`)).join("");
  const r = results.length > 0 ? ` (result ${results.join(" ")})` : "";
  return p + r;
}

function printFunction(f: FunctionBuilder, functionNames: readonly string[]): string[] {
  const lines = [
    `  (func $${f.name}${f.exported ? ` (export "${f.name}")` : ""}${signature(f.type.params, f.type.results, f.localNames)}`,
  ];
  f.locals.forEach((t, k) => {
    lines.push(`    (local $${f.localNames[f.type.params.length + k]} ${t})`);
  });
  let depth = 2;
  for (const ins of f.body) {
    if (ins.op === "end" || ins.op === "else") depth--;
    const info = OPCODES[ins.op];
    const a = ins.args;
    let text: string = ins.op;
    switch (info.immediate) {
      case "index":
        text +=
          ins.op === "call"
            ? ` $${functionNames[a[0]!]}`
            : ins.op.startsWith("local.")
              ? ` $${f.localNames[a[0]!]}`
              : ` ${a[0]}`;
        break;
      case "lane":
      case "i32":
        text += ` ${a[0]}`;
        break;
      case "f64":
      case "f32":
        text += ` ${float(a[0]!)}`;
        break;
      case "memarg":
        text += `${a[1] ? ` offset=${a[1]}` : ""} align=${2 ** a[0]!}`;
        break;
      case "memarg-lane":
        text += `${a[1] ? ` offset=${a[1]}` : ""} align=${2 ** a[0]!} ${a[2]}`;
        break;
      default:
        break;
    }
    lines.push(`${"  ".repeat(depth)}${text}`);
    if (ins.op === "block" || ins.op === "loop" || ins.op === "if" || ins.op === "else") depth++;
  }
  lines.push("  )");
  return lines;
}

/** The module as WebAssembly text. */
export function printWat(m: ModuleBuilder): string {
  const names = [...m.imports.map((i) => `${i.module}.${i.name}`), ...m.functions.map((f) => f.name)];
  const lines = ["(module"];
  m.imports.forEach((i, k) => {
    lines.push(
      `  (import "${i.module}" "${i.name}" (func $${names[k]}${signature(i.type.params, i.type.results)}))`,
    );
  });
  lines.push(`  (memory (export "memory") ${m.memoryPages})`);
  for (const f of m.functions) lines.push(...printFunction(f, names));
  lines.push(")");
  return lines.join("\n");
}

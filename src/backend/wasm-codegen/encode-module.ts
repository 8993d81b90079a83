/**
 * The binary encoding of a ModuleBuilder (WebAssembly Core Specification 2.0, chapter 5):
 * sections type, import, function, memory, export and code, with LEB128 integers.
 *
 * Why an encoder of our own rather than assembling text with wabt.js: Backend.network() and a
 * worker's start are synchronous, and wabt.js is an Emscripten module that only initializes
 * through a Promise, so every importer of the backends would wait for it at load time; the
 * generator needs some sixty instructions of one fixed shape (opcodes.ts), which this file
 * encodes in a page; and nothing is lost in checking, because V8 validates every module it
 * compiles (type errors name the function and byte offset) and print-wat.ts prints the same
 * instruction list as WebAssembly text that any assembler reads.
 */
import { InvalidArgumentError } from "../../util/errors.ts";
import type { FunctionType, ModuleBuilder, ValType } from "./module-builder.ts";
import { OPCODES } from "./opcodes.ts";

const VALTYPE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** Bytes appended to a growing array. */
class Bytes {
  readonly out: number[] = [];
  byte(b: number): this {
    this.out.push(b & 0xff);
    return this;
  }
  u32(n: number): this {
    let v = n >>> 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }
  i32(n: number): this {
    let v = n | 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  f32(x: number): this {
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, x, true);
    for (let k = 0; k < 4; k++) this.byte(view.getUint8(k));
    return this;
  }

  f64(x: number): this {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x, true);
    for (let k = 0; k < 8; k++) this.byte(view.getUint8(k));
    return this;
  }

  name(s: string): this {
    const utf8 = new TextEncoder().encode(s);
    this.u32(utf8.length);
    for (const b of utf8) this.byte(b);
    return this;
  }
  append(other: Bytes): this {
    for (const b of other.out) this.out.push(b);
    return this;
  }
}

function section(out: Bytes, id: number, content: Bytes): void {
  out.byte(id).u32(content.out.length).append(content);
}

function typeKey(t: FunctionType): string {
  return `${t.params.join(",")}->${t.results.join(",")}`;
}

/** The module in the binary format, ready for `new WebAssembly.Module(bytes)`. */
export function encodeModule(m: ModuleBuilder): Uint8Array {
  const types: FunctionType[] = [];
  const typeIndex = new Map<string, number>();
  const typeOf = (t: FunctionType) => {
    const key = typeKey(t);
    let k = typeIndex.get(key);
    if (k === undefined) {
      k = types.length;
      types.push(t);
      typeIndex.set(key, k);
    }
    return k;
  };
  for (const i of m.imports) typeOf(i.type);
  for (const f of m.functions) typeOf(f.type);

  const out = new Bytes();
  for (const b of [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]) out.byte(b);

  const typeSection = new Bytes().u32(types.length);
  for (const t of types) {
    typeSection.byte(0x60).u32(t.params.length);
    for (const p of t.params) typeSection.byte(VALTYPE[p]);
    typeSection.u32(t.results.length);
    for (const r of t.results) typeSection.byte(VALTYPE[r]);
  }
  section(out, 1, typeSection);

  if (m.imports.length > 0) {
    const imports = new Bytes().u32(m.imports.length);
    for (const i of m.imports) imports.name(i.module).name(i.name).byte(0x00).u32(typeOf(i.type));
    section(out, 2, imports);
  }

  const functions = new Bytes().u32(m.functions.length);
  for (const f of m.functions) functions.u32(typeOf(f.type));
  section(out, 3, functions);

  section(out, 5, new Bytes().u32(1).byte(0x00).u32(m.memoryPages));

  const exported = m.functions.filter((f) => f.exported);
  const exports = new Bytes().u32(exported.length + 1);
  for (const f of exported) exports.name(f.name).byte(0x00).u32(f.index);
  exports.name("memory").byte(0x02).u32(0);
  section(out, 7, exports);

  const code = new Bytes().u32(m.functions.length);
  for (const f of m.functions) {
    const body = new Bytes();
    // Locals in runs of one type.
    const runs: [ValType, number][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[0] === t) last[1]++;
      else runs.push([t, 1]);
    }
    body.u32(runs.length);
    for (const [t, n] of runs) body.u32(n).byte(VALTYPE[t]);
    for (const ins of f.body) {
      const info = OPCODES[ins.op];
      if (info.prefix !== null) body.byte(info.prefix).u32(info.code);
      else body.byte(info.code);
      const a = ins.args;
      switch (info.immediate) {
        case "none":
          break;
        case "index":
          body.u32(a[0]!);
          break;
        case "lane":
          body.byte(a[0]!);
          break;
        case "i32":
          body.i32(a[0]!);
          break;
        case "f64":
          body.f64(a[0]!);
          break;
        case "f32":
          body.f32(a[0]!);
          break;
        case "memarg":
          body.u32(a[0]!).u32(a[1]!);
          break;
        case "memarg-lane":
          body.u32(a[0]!).u32(a[1]!).byte(a[2]!);
          break;
        case "block":
          body.byte(0x40);
          break;
        default:
          throw new InvalidArgumentError(
            "encodeModule",
            `immediate of ${ins.op}`,
            "a known kind",
            info.immediate,
          );
      }
    }
    body.byte(0x0b);
    code.u32(body.out.length).append(body);
  }
  section(out, 10, code);
  return Uint8Array.from(out.out);
}

/**
 * A WebAssembly module under construction: imported functions, defined functions as flat lists
 * of instructions with their locals, and one memory. It is plain data, encoded to the binary
 * format by encode-module.ts and printed as text by print-wat.ts; the two read the same list,
 * so the text a user reads is the code that runs.
 *
 * Function indices are handed out as functions are declared (imports first, as the binary
 * format numbers them), so a body can call a function declared before or after it.
 */
import { InvalidArgumentError } from "../../util/errors.ts";
import { OPCODES, type Op } from "./opcodes.ts";

export type ValType = "i32" | "f32" | "f64" | "v128";

export interface FunctionType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

/** One instruction and its immediates (see opcodes.ts for their kinds; memarg is [align, offset]). */
export interface Instruction {
  readonly op: Op;
  readonly args: readonly number[];
}

export interface ImportedFunction {
  readonly module: string;
  readonly name: string;
  readonly type: FunctionType;
}

/** A defined function: its parameters are locals 0 .. params - 1, then `locals`. */
export class FunctionBuilder {
  readonly locals: ValType[] = [];
  readonly localNames: string[];
  readonly body: Instruction[] = [];

  constructor(
    readonly index: number,
    readonly name: string,
    readonly type: FunctionType,
    readonly exported: boolean,
  ) {
    this.localNames = type.params.map((_, k) => `p${k}`);
  }

  /** A new local of `type`; returns its index. */
  local(type: ValType, name: string): number {
    const index = this.type.params.length + this.locals.length;
    this.locals.push(type);
    this.localNames.push(`${name}_${index}`);
    return index;
  }

  /** Appends an instruction; memory accesses take [offset] and get their natural alignment. */
  op(op: Op, ...args: number[]): this {
    const info = OPCODES[op];
    if (info.immediate === "memarg" || info.immediate === "memarg-lane") {
      const [offset = 0, lane] = args;
      if (!Number.isInteger(offset) || offset < 0 || offset > 0xffffffff) {
        throw new InvalidArgumentError(
          "FunctionBuilder.op",
          `offset of ${op}`,
          "an integer in [0, 2^32)",
          offset,
        );
      }
      this.body.push({
        op,
        args: info.immediate === "memarg" ? [info.align!, offset] : [info.align!, offset, lane ?? 0],
      });
    } else this.body.push({ op, args });
    return this;
  }
}

/** A module: function imports, defined functions and one memory of a fixed number of pages. */
export class ModuleBuilder {
  readonly imports: ImportedFunction[] = [];
  readonly functions: FunctionBuilder[] = [];
  private readonly importIndex = new Map<string, number>();
  /** Pages of 64 KiB; the memory is defined by the module and exported as "memory". */
  memoryPages = 1;

  /** The index of imported function `module.name` (imported once however often asked for). */
  importFunction(module: string, name: string, type: FunctionType): number {
    const key = `${module}.${name}`;
    const known = this.importIndex.get(key);
    if (known !== undefined) return known;
    if (this.functions.length > 0) {
      throw new InvalidArgumentError(
        "ModuleBuilder.importFunction",
        key,
        "declared before any defined function",
        "a late import",
      );
    }
    this.imports.push({ module, name, type });
    this.importIndex.set(key, this.imports.length - 1);
    return this.imports.length - 1;
  }

  /** Declares a function; its index is fixed from now on. */
  addFunction(name: string, type: FunctionType, exported = false): FunctionBuilder {
    const f = new FunctionBuilder(this.imports.length + this.functions.length, name, type, exported);
    this.functions.push(f);
    return f;
  }
}

/**
 * The WebAssembly instructions the kernel generator emits: their binary opcodes and the kind of
 * immediate each takes (WebAssembly Core Specification 2.0, section 5.4, and the fixed-width
 * SIMD proposal, merged in 2.0). Only float64 and float32 scalar, f64x2 and f32x4 arithmetic,
 * conversions between the two, i32 address arithmetic, loads, stores and structured control
 * flow: nothing else is needed, and nothing
 * here fuses or reorders floating-point operations (no FMA, no relaxed SIMD).
 */

/** What follows an opcode in the binary format. */
export type Immediate =
  | "none"
  /** A local, function or label index, or a lane (u32 LEB128; a lane is one byte). */
  | "index"
  | "lane"
  /** A signed 32-bit constant (i32.const). */
  | "i32"
  /** A float64 constant, 8 bytes little-endian. */
  | "f64"
  /** A float32 constant, 4 bytes little-endian. */
  | "f32"
  /** align (log2 bytes) and offset (bytes). */
  | "memarg"
  /** memarg, then a lane. */
  | "memarg-lane"
  /** The empty block type of block, loop and if. */
  | "block";

export interface OpcodeInfo {
  /** 0xfd for SIMD instructions, otherwise null. */
  readonly prefix: 0xfd | null;
  readonly code: number;
  readonly immediate: Immediate;
  /** Natural alignment (log2 bytes) of a memory access. */
  readonly align?: number;
}

const core = (code: number, immediate: Immediate = "none", align?: number): OpcodeInfo => ({
  prefix: null,
  code,
  immediate,
  ...(align !== undefined ? { align } : {}),
});
const simd = (code: number, immediate: Immediate = "none", align?: number): OpcodeInfo => ({
  prefix: 0xfd,
  code,
  immediate,
  ...(align !== undefined ? { align } : {}),
});

export const OPCODES = {
  unreachable: core(0x00),
  block: core(0x02, "block"),
  loop: core(0x03, "block"),
  if: core(0x04, "block"),
  else: core(0x05),
  end: core(0x0b),
  br: core(0x0c, "index"),
  br_if: core(0x0d, "index"),
  return: core(0x0f),
  call: core(0x10, "index"),
  drop: core(0x1a),
  select: core(0x1b),
  "local.get": core(0x20, "index"),
  "local.set": core(0x21, "index"),
  "local.tee": core(0x22, "index"),
  "i32.load": core(0x28, "memarg", 2),
  "f32.load": core(0x2a, "memarg", 2),
  "f64.load": core(0x2b, "memarg", 3),
  "i32.store": core(0x36, "memarg", 2),
  "f32.store": core(0x38, "memarg", 2),
  "f64.store": core(0x39, "memarg", 3),
  "i32.const": core(0x41, "i32"),
  "f32.const": core(0x43, "f32"),
  "f64.const": core(0x44, "f64"),
  "i32.eqz": core(0x45),
  "i32.eq": core(0x46),
  "i32.ne": core(0x47),
  "i32.lt_u": core(0x49),
  "i32.gt_u": core(0x4b),
  "f32.eq": core(0x5b),
  "f32.ne": core(0x5c),
  "f32.lt": core(0x5d),
  "f32.gt": core(0x5e),
  "f64.eq": core(0x61),
  "f64.ne": core(0x62),
  "f64.lt": core(0x63),
  "f64.gt": core(0x64),
  "i32.add": core(0x6a),
  "i32.sub": core(0x6b),
  "i32.mul": core(0x6c),
  "i32.and": core(0x71),
  "i32.or": core(0x72),
  "i32.shl": core(0x74),
  "f32.abs": core(0x8b),
  "f32.neg": core(0x8c),
  "f32.sqrt": core(0x91),
  "f32.add": core(0x92),
  "f32.sub": core(0x93),
  "f32.mul": core(0x94),
  "f32.div": core(0x95),
  "f64.abs": core(0x99),
  "f64.neg": core(0x9a),
  "f64.sqrt": core(0x9f),
  "f64.add": core(0xa0),
  "f64.sub": core(0xa1),
  "f64.mul": core(0xa2),
  "f64.div": core(0xa3),
  "f32.demote_f64": core(0xb6),
  "f64.promote_f32": core(0xbb),
  "v128.load": simd(0x00, "memarg", 4),
  "v128.load32_splat": simd(0x09, "memarg", 2),
  "v128.load64_splat": simd(0x0a, "memarg", 3),
  "v128.store": simd(0x0b, "memarg", 4),
  "f32x4.splat": simd(0x13),
  "f64x2.splat": simd(0x14),
  "f32x4.extract_lane": simd(0x1f, "lane"),
  "f32x4.replace_lane": simd(0x20, "lane"),
  "f64x2.extract_lane": simd(0x21, "lane"),
  "f64x2.replace_lane": simd(0x22, "lane"),
  "f32x4.eq": simd(0x41),
  "f32x4.lt": simd(0x43),
  "f32x4.gt": simd(0x44),
  "f64x2.eq": simd(0x47),
  "f64x2.lt": simd(0x49),
  "f64x2.gt": simd(0x4a),
  "v128.and": simd(0x4e),
  "v128.or": simd(0x50),
  "v128.load32_lane": simd(0x56, "memarg-lane", 2),
  "v128.load64_lane": simd(0x57, "memarg-lane", 3),
  "v128.load32_zero": simd(0x5c, "memarg", 2),
  "v128.load64_zero": simd(0x5d, "memarg", 3),
  "f64x2.promote_low_f32x4": simd(0x5f),
  "f32x4.abs": simd(0xe0),
  "f32x4.neg": simd(0xe1),
  "f32x4.sqrt": simd(0xe3),
  "f32x4.add": simd(0xe4),
  "f32x4.sub": simd(0xe5),
  "f32x4.mul": simd(0xe6),
  "f32x4.div": simd(0xe7),
  "f64x2.abs": simd(0xec),
  "f64x2.neg": simd(0xed),
  "f64x2.sqrt": simd(0xef),
  "f64x2.add": simd(0xf0),
  "f64x2.sub": simd(0xf1),
  "f64x2.mul": simd(0xf2),
  "f64x2.div": simd(0xf3),
} as const satisfies Record<string, OpcodeInfo>;

export type Op = keyof typeof OPCODES;

/**
 * Exact rational numbers over BigInt, always in lowest terms with a positive denominator.
 *
 * The coefficient field of every exact polynomial in learndyn ({@link Poly}). Values are
 * immutable; equal numbers have equal `num` and `den`.
 */
import { BoundExceededError, InvalidArgumentError } from "../util/errors.ts";

function gcdBig(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

export class Rational {
  /** Numerator and denominator in lowest terms, `den > 0`. */
  readonly num: bigint;
  readonly den: bigint;

  private constructor(num: bigint, den: bigint) {
    this.num = num;
    this.den = den;
  }

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);
  static readonly MINUS_ONE = new Rational(-1n, 1n);

  /** `num / den` reduced; throws on a zero denominator. */
  static of(num: bigint | number, den: bigint | number = 1n): Rational {
    const n = typeof num === "number" ? integerToBig("Rational.of", "num", num) : num;
    let d = typeof den === "number" ? integerToBig("Rational.of", "den", den) : den;
    if (d === 0n) throw new InvalidArgumentError("Rational.of", "den", "a nonzero integer", "0");
    let m = n;
    if (d < 0n) {
      d = -d;
      m = -m;
    }
    const g = gcdBig(m, d);
    return g === 1n ? new Rational(m, d) : new Rational(m / g, d / g);
  }

  /**
   * The exact value of a decimal or fraction literal: "3", "-0.25", "1e-3", "2.5E+2", "7/3".
   * Throws {@link InvalidArgumentError} for anything else.
   */
  static parse(text: string): Rational {
    const s = text.trim();
    const frac = /^([+-]?\d+)\/(\d+)$/.exec(s);
    if (frac) return Rational.of(BigInt(frac[1]!), BigInt(frac[2]!));
    const dec = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
    if (!dec || (dec[2] === "" && (dec[3] ?? "") === "")) {
      throw new InvalidArgumentError("Rational.parse", "text", "a decimal or fraction literal", text);
    }
    const sign = dec[1] === "-" ? -1n : 1n;
    const intPart = dec[2] ?? "";
    const fracPart = dec[3] ?? "";
    const exp = Number(dec[4] ?? "0");
    if (Math.abs(exp) > 10_000) {
      throw new InvalidArgumentError("Rational.parse", "text", "an exponent of at most 10000", text);
    }
    const digits = BigInt((intPart + fracPart).replace(/^0+(?=\d)/, "") || "0");
    const scale = exp - fracPart.length;
    return scale >= 0
      ? Rational.of(sign * digits * 10n ** BigInt(scale))
      : Rational.of(sign * digits, 10n ** BigInt(-scale));
  }

  /**
   * The exact value of a finite float64 (every double is a dyadic rational). Use
   * {@link Rational.parse} of the decimal text when the decimal meaning is intended.
   */
  static fromNumber(x: number): Rational {
    if (!Number.isFinite(x)) throw new InvalidArgumentError("Rational.fromNumber", "x", "a finite number", x);
    if (Number.isInteger(x)) return Rational.of(BigInt(x));
    let m = x;
    let e = 0n;
    while (!Number.isInteger(m)) {
      m *= 2;
      e += 1n;
    }
    return Rational.of(BigInt(m), 2n ** e);
  }

  isZero(): boolean {
    return this.num === 0n;
  }
  isOne(): boolean {
    return this.num === 1n && this.den === 1n;
  }
  isInteger(): boolean {
    return this.den === 1n;
  }
  /** -1, 0 or 1. */
  sign(): number {
    return this.num > 0n ? 1 : this.num < 0n ? -1 : 0;
  }

  add(o: Rational): Rational {
    if (this.den === o.den) return Rational.of(this.num + o.num, this.den);
    return Rational.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  sub(o: Rational): Rational {
    return this.add(o.neg());
  }
  mul(o: Rational): Rational {
    if (this.num === 0n || o.num === 0n) return Rational.ZERO;
    return Rational.of(this.num * o.num, this.den * o.den);
  }
  div(o: Rational): Rational {
    if (o.num === 0n) throw new InvalidArgumentError("Rational.div", "divisor", "nonzero", "0");
    return Rational.of(this.num * o.den, this.den * o.num);
  }
  neg(): Rational {
    return new Rational(-this.num, this.den);
  }
  inv(): Rational {
    return Rational.ONE.div(this);
  }
  /**
   * `this^k` for an integer k (negative k inverts). Refused with {@link BoundExceededError} when
   * the result would need more than {@link Rational.MAX_BITS} bits.
   */
  pow(k: number): Rational {
    if (!Number.isSafeInteger(k)) throw new InvalidArgumentError("Rational.pow", "k", "a safe integer", k);
    if (k < 0) return this.inv().pow(-k);
    if (this.num === 0n || (this.den === 1n && (this.num === 1n || this.num === -1n))) {
      return k === 0 ? Rational.ONE : this.num === -1n && k % 2 === 0 ? Rational.ONE : this;
    }
    const bits = k * Math.max(bitLength(this.num < 0n ? -this.num : this.num), bitLength(this.den));
    if (bits > Rational.MAX_BITS) {
      throw new BoundExceededError(
        "Rational.pow",
        "number size (bits)",
        Rational.MAX_BITS,
        `about ${bits} bits for (${this})^${k}`,
      );
    }
    return Rational.of(this.num ** BigInt(k), this.den ** BigInt(k));
  }

  /** Size bound of exact powers: 2^22 bits, about 1.26 million decimal digits. */
  static readonly MAX_BITS = 2 ** 22;

  /** Bits of the larger of numerator and denominator (0 for zero). */
  bits(): number {
    return Math.max(bitLength(this.num < 0n ? -this.num : this.num), bitLength(this.den));
  }

  /**
   * Whether float64 holds this number: zero, or a nonzero value whose nearest double is neither
   * infinite nor zero (magnitudes from about 4.9e-324 to 1.8e308).
   */
  inFloat64Range(): boolean {
    if (this.num === 0n) return true;
    const x = this.toNumber();
    return Number.isFinite(x) && x !== 0;
  }
  abs(): Rational {
    return this.num < 0n ? this.neg() : this;
  }
  equals(o: Rational): boolean {
    return this.num === o.num && this.den === o.den;
  }
  /** Negative, zero or positive as this <, =, > o. */
  compare(o: Rational): number {
    const d = this.num * o.den - o.num * this.den;
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }

  /** Nearest float64 (correct also when num and den exceed 2^53). */
  toNumber(): number {
    const n = this.num;
    const d = this.den;
    const mag = n < 0n ? -n : n;
    const small = 2n ** 1000n;
    if (mag < small && d < small) return Number(n) / Number(d);
    // Keep about 64 significant bits of the quotient, then scale by a power of two.
    const shift = 64 - (bitLength(mag) - bitLength(d));
    const q = shift >= 0 ? (n * 2n ** BigInt(shift)) / d : n / (d * 2n ** BigInt(-shift));
    const half = Math.trunc(-shift / 2); // two factors so neither overflows alone
    return Number(q) * 2 ** half * 2 ** (-shift - half);
  }

  /** "3", "-1/2": the syntax of the rule language. */
  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }

  /** gcd(a, b) in the sense gcd(num)/lcm(den): the largest rational dividing both to integers. */
  static gcd(a: Rational, b: Rational): Rational {
    if (a.isZero()) return b.abs();
    if (b.isZero()) return a.abs();
    const n = gcdBig(a.num, b.num);
    const d = (a.den / gcdBig(a.den, b.den)) * b.den;
    return Rational.of(n, d);
  }
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

function integerToBig(fn: string, arg: string, x: number): bigint {
  if (!Number.isSafeInteger(x)) throw new InvalidArgumentError(fn, arg, "a safe integer", x);
  return BigInt(x);
}

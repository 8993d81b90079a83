/**
 * The expression syntax of the rule language:
 *
 *     expr     := term (("+" | "-") term)*
 *     term     := unary (("*" | "/") unary)*
 *     unary    := ("-" | "+") unary | power
 *     power    := atom ("^" exponent)?
 *     exponent := integer | "-" integer | "(" "-"? integer ")"
 *     atom     := number | name | function "(" expr ")" | "(" expr ")"
 *
 * Numbers are decimal literals (`2`, `0.5`, `1e-3`) read exactly as rationals; names are
 * identifiers; functions are exp, log, sin, cos, tanh, sqrt. Exponents are integer literals, so
 * `-x^2` is `-(x^2)` and every power can be differentiated and expanded exactly. A syntax error
 * is a {@link ParseError} giving line and column (1-based) of the offending token.
 *
 * Bounds, each a ParseError at the token that crosses it, so that no input exhausts the stack or
 * builds numbers no later step can use: parentheses and calls nest at most
 * {@link EXPRESSION_LIMITS}.nesting deep; the tree has at most {@link EXPRESSION_LIMITS}.height
 * levels (a + b + c is left-deep: every operator is a level, so this bounds sums too; every
 * recursion over expressions stays far from the stack's limit); every number, written or folded
 * from constants (2^10, 1e200*1e200), lies within float64's range, and exponents are safe
 * integers.
 */
import { LearndynError } from "../util/errors.ts";
import {
  add,
  call,
  div,
  type Expr,
  FUNCTION_NAMES,
  type FunctionName,
  mul,
  neg,
  num,
  pow,
  sub,
  variable,
} from "./ast.ts";
import { Rational } from "./rational.ts";

/** The bounds of the module comment. */
export const EXPRESSION_LIMITS = {
  /** Deepest nesting of parentheses and function calls. */
  nesting: 256,
  /** Most levels of the expression tree. */
  height: 1000,
};

/** Long texts shortened for messages. */
function abbreviate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 20)}...${text.slice(-12)} (${text.length} characters)` : text;
}

/**
 * Why the number written as `text` (a decimal literal) does not fit float64, or undefined when
 * it does: too large (it would read as Infinity), or nonzero but below the smallest positive
 * double (it would read as 0). Number() rounds decimal text correctly, so this is exact.
 */
export function literalRangeProblem(text: string): string | undefined {
  const x = Number(text);
  const shown = abbreviate(text);
  if (!Number.isFinite(x))
    return `number ${shown} is outside float64's range (magnitude at most about 1.8e308)`;
  if (x === 0 && /[1-9]/.test(text.split(/[eE]/)[0]!)) {
    return `number ${shown} is below float64's smallest positive value (about 4.9e-324): it would read as 0`;
  }
  return undefined;
}

/** A syntax error at a known place. */
export class ParseError extends LearndynError {
  override name = "ParseError";
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    readonly source?: string,
  ) {
    super(`${source ? `${source}:` : ""}${line}:${column}: parse error: ${reason}`);
  }
}

/** Where the parsed text starts in a larger file, for error positions; and the file's name. */
export interface ParseOptions {
  /** Line of the text's first character (1-based, default 1). */
  line?: number;
  /** Column of the text's first character (1-based, default 1). */
  column?: number;
  /** Name of the file or rule, prefixed to error messages. */
  source?: string;
  /**
   * Lifts the height and range bounds, for reading back exact polynomials this program printed
   * (their sums can be long and their rational coefficients beyond float64's range).
   */
  unbounded?: boolean;
}

type TokenKind = "num" | "name" | "op" | "end";
interface Token {
  kind: TokenKind;
  text: string;
  line: number;
  column: number;
}

const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

function tokenize(text: string, opts: ParseOptions): Token[] {
  const tokens: Token[] = [];
  let line = opts.line ?? 1;
  let column = opts.column ?? 1;
  let i = 0;
  const fail = (reason: string): never => {
    throw new ParseError(reason, line, column, opts.source);
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "\n") {
      i++;
      line++;
      column = 1;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      column++;
      continue;
    }
    NUMBER.lastIndex = i;
    NAME.lastIndex = i;
    const number = NUMBER.exec(text);
    const m = number ?? NAME.exec(text);
    if (m) {
      const kind: TokenKind = number ? "num" : "name";
      tokens.push({ kind, text: m[0], line, column });
      i += m[0].length;
      column += m[0].length;
      continue;
    }
    if ("+-*/^()".includes(ch)) {
      tokens.push({ kind: "op", text: ch, line, column });
      i++;
      column++;
      continue;
    }
    fail(`unexpected character ${JSON.stringify(ch)}`);
  }
  tokens.push({ kind: "end", text: "end of input", line, column });
  return tokens;
}

/** Parses one expression; the whole text must be consumed. */
export function parseExpr(text: string, opts: ParseOptions = {}): Expr {
  const tokens = tokenize(text, opts);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const fail = (reason: string, t: Token = peek()): never => {
    throw new ParseError(reason, t.line, t.column, opts.source);
  };
  const describeToken = (t: Token) => (t.kind === "end" ? "end of input" : JSON.stringify(t.text));
  const expectOp = (op: string) => {
    const t = peek();
    if (t.kind !== "op" || t.text !== op) fail(`expected "${op}", found ${describeToken(t)}`);
    pos++;
  };
  const isOp = (op: string) => peek().kind === "op" && peek().text === op;

  const maxHeight = opts.unbounded ? Number.POSITIVE_INFINITY : EXPRESSION_LIMITS.height;
  const rangeChecked = !opts.unbounded;
  let nesting = 0;
  const enter = (t: Token) => {
    if (++nesting > EXPRESSION_LIMITS.nesting) {
      fail(`expression nested deeper than ${EXPRESSION_LIMITS.nesting} levels of parentheses and calls`, t);
    }
  };
  // heights of the trees built so far; the constructors may fold or rebuild nodes, so a node not
  // seen yet is measured through its children (which are, but for a few levels)
  const heights = new WeakMap<Expr, number>();
  const heightOf = (e: Expr): number => {
    const known = heights.get(e);
    if (known !== undefined) return known;
    let h = 1;
    switch (e.kind) {
      case "num":
      case "var":
        break;
      case "pow":
        h = 1 + heightOf(e.base);
        break;
      case "neg":
      case "call":
        h = 1 + heightOf(e.arg);
        break;
      default:
        h = 1 + Math.max(heightOf(e.left), heightOf(e.right));
    }
    heights.set(e, h);
    return h;
  };
  /**
   * The node `make` builds at token t, checked: its height, a folded constant's range, and any
   * bound the constructors enforce, each as a ParseError at t.
   */
  const built = (make: () => Expr, t: Token): Expr => {
    let e: Expr;
    try {
      e = make();
    } catch (x) {
      if (x instanceof LearndynError) fail(x.message, t);
      throw x;
    }
    if (heightOf(e) > maxHeight) {
      fail(
        `expression too large: its tree would have more than ${maxHeight} levels (a sum or product of about that many terms, or as deep a nesting)`,
        t,
      );
    }
    if (rangeChecked && e.kind === "num" && !e.value.inFloat64Range()) {
      fail(
        `constant ${abbreviate(e.value.toString())} (folded at ${describeToken(t)}) is outside float64's range`,
        t,
      );
    }
    if (e.kind === "pow" && !Number.isSafeInteger(e.exponent)) {
      fail(`exponent ${e.exponent} is too large (powers of powers multiply their exponents)`, t);
    }
    return e;
  };

  const parseSum = (): Expr => {
    let left = parseTerm();
    while (isOp("+") || isOp("-")) {
      const opTok = tokens[pos++]!;
      const right = parseTerm();
      left = built(() => (opTok.text === "+" ? add(left, right) : sub(left, right)), opTok);
    }
    return left;
  };
  const parseTerm = (): Expr => {
    let left = parseUnary();
    while (isOp("*") || isOp("/")) {
      const opTok = tokens[pos++]!;
      const right = parseUnary();
      if (opTok.text === "/" && right.kind === "num" && right.value.isZero()) fail("division by zero", opTok);
      left = built(() => (opTok.text === "*" ? mul(left, right) : div(left, right)), opTok);
    }
    return left;
  };
  // a run of signs is read in a loop (any length) and applied once
  const parseUnary = (): Expr => {
    let negative = false;
    let signTok: Token | undefined;
    while (isOp("-") || isOp("+")) {
      signTok ??= peek();
      if (peek().text === "-") negative = !negative;
      pos++;
    }
    const arg = parsePower();
    return negative ? built(() => neg(arg), signTok!) : arg;
  };
  const parseExponent = (): number => {
    const paren = isOp("(");
    if (paren) pos++;
    let sign = 1;
    if (isOp("-")) {
      pos++;
      sign = -1;
    }
    const t = peek();
    if (t.kind !== "num" || !/^\d+$/.test(t.text)) {
      fail(`exponent must be an integer literal, found ${describeToken(t)}`);
    }
    pos++;
    if (paren) expectOp(")");
    const e = sign * Number(t.text);
    if (!Number.isSafeInteger(e)) fail(`exponent ${t.text} is too large`, t);
    return e;
  };
  const parsePower = (): Expr => {
    const baseTok = peek();
    const base = parseAtom();
    if (!isOp("^")) return base;
    const powTok = tokens[pos++]!;
    const e = parseExponent();
    if (base.kind === "num" && base.value.isZero() && e < 0) fail("zero to a negative power", baseTok);
    if (isOp("^")) fail('chained powers "a^b^c" are ambiguous: use parentheses');
    if (rangeChecked && base.kind === "num" && !base.value.isZero()) {
      // decide the range before computing: 2^4294967296 has four billion bits
      const log2 = e * Math.log2(Math.abs(base.value.toNumber()));
      if (Math.abs(log2) > 1100) {
        fail(
          `constant ${abbreviate(base.value.toString())}^${e} is outside float64's range (about 2^${log2.toPrecision(3)})`,
          powTok,
        );
      }
    }
    return built(() => pow(base, e), powTok);
  };
  const parseAtom = (): Expr => {
    const t = peek();
    if (t.kind === "num") {
      pos++;
      const problem = rangeChecked ? literalRangeProblem(t.text) : undefined;
      if (problem) fail(problem, t);
      try {
        return num(Rational.parse(t.text));
      } catch (e) {
        if (e instanceof LearndynError) fail(`number ${abbreviate(t.text)}: ${e.message}`, t);
        throw e;
      }
    }
    if (t.kind === "name") {
      pos++;
      if (isOp("(")) {
        if (!(FUNCTION_NAMES as readonly string[]).includes(t.text)) {
          fail(`unknown function "${t.text}" (functions: ${FUNCTION_NAMES.join(", ")})`, t);
        }
        enter(peek());
        pos++;
        const arg = parseSum();
        expectOp(")");
        nesting--;
        return built(() => call(t.text as FunctionName, arg), t);
      }
      if ((FUNCTION_NAMES as readonly string[]).includes(t.text)) {
        fail(`function "${t.text}" needs an argument in parentheses`, peek());
      }
      return variable(t.text);
    }
    if (isOp("(")) {
      enter(t);
      pos++;
      const inner = parseSum();
      expectOp(")");
      nesting--;
      return inner;
    }
    return fail(`expected a number, name or "(", found ${describeToken(t)}`);
  };

  const e = parseSum();
  const t = peek();
  if (t.kind !== "end") fail(`unexpected ${describeToken(t)} after a complete expression`);
  return e;
}

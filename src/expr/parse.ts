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
}

type TokenKind = "num" | "name" | "op" | "end";
interface Token {
  kind: TokenKind;
  text: string;
  line: number;
  column: number;
}

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
    const rest = text.slice(i);
    const m =
      /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(rest) ?? /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest) ?? null;
    if (m) {
      const kind: TokenKind = /^[\d.]/.test(m[0]) ? "num" : "name";
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

  const parseSum = (): Expr => {
    let left = parseTerm();
    while (isOp("+") || isOp("-")) {
      const op = tokens[pos++]!.text;
      const right = parseTerm();
      left = op === "+" ? add(left, right) : sub(left, right);
    }
    return left;
  };
  const parseTerm = (): Expr => {
    let left = parseUnary();
    while (isOp("*") || isOp("/")) {
      const opTok = tokens[pos++]!;
      const right = parseUnary();
      if (opTok.text === "/" && right.kind === "num" && right.value.isZero()) fail("division by zero", opTok);
      left = opTok.text === "*" ? mul(left, right) : div(left, right);
    }
    return left;
  };
  const parseUnary = (): Expr => {
    if (isOp("-")) {
      pos++;
      return neg(parseUnary());
    }
    if (isOp("+")) {
      pos++;
      return parseUnary();
    }
    return parsePower();
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
    pos++;
    const e = parseExponent();
    if (base.kind === "num" && base.value.isZero() && e < 0) fail("zero to a negative power", baseTok);
    if (isOp("^")) fail('chained powers "a^b^c" are ambiguous: use parentheses');
    return pow(base, e);
  };
  const parseAtom = (): Expr => {
    const t = peek();
    if (t.kind === "num") {
      pos++;
      return num(Rational.parse(t.text));
    }
    if (t.kind === "name") {
      pos++;
      if (isOp("(")) {
        if (!(FUNCTION_NAMES as readonly string[]).includes(t.text)) {
          fail(`unknown function "${t.text}" (functions: ${FUNCTION_NAMES.join(", ")})`, t);
        }
        pos++;
        const arg = parseSum();
        expectOp(")");
        return call(t.text as FunctionName, arg);
      }
      if ((FUNCTION_NAMES as readonly string[]).includes(t.text)) {
        fail(`function "${t.text}" needs an argument in parentheses`, peek());
      }
      return variable(t.text);
    }
    if (isOp("(")) {
      pos++;
      const inner = parseSum();
      expectOp(")");
      return inner;
    }
    return fail(`expected a number, name or "(", found ${describeToken(t)}`);
  };

  const e = parseSum();
  const t = peek();
  if (t.kind !== "end") fail(`unexpected ${describeToken(t)} after a complete expression`);
  return e;
}

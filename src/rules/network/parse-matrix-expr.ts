/**
 * The expression syntax of network rules: matrix notation as the papers write it.
 *
 *     sum      := term (("+" | "-") term)*
 *     term     := unary (("*" | "/" | ".*" | "./" | "⊙" | <juxtaposition>) unary)*
 *     unary    := ("-" | "+") unary | postfix
 *     postfix  := atom ("'" | "ᵀ" | "^T" | "^" integer | ".^" integer)*
 *     atom     := number | name | name "(" sum ("," sum)* ")" | name "'" "(" sum ")" | "(" sum ")"
 *
 * Juxtaposition (`W1 x`) and `*` are the matrix product; a 1 x 1 factor acts as a scalar. `.*`
 * (or `⊙`) and `./` are elementwise; `/` divides by a 1 x 1 value. `W'`, `Wᵀ` and `W^T` are the
 * transpose; `phi'(a)` is the derivative of the elementwise function phi at a. All operators of
 * a term have one precedence and associate to the left, so `e h' D2` is `(e h') D2`: the order
 * written is the order of evaluation (and of floating-point rounding). Numbers are decimal
 * literals within float64's range. Nesting is bounded ({@link MAX_DEPTH}) so that no input can
 * exhaust the stack (src/rules/network/depth.ts bounds it through definitions). Errors are {@link RuleError}s with line and column.
 */
import { literalRangeProblem } from "../../expr/index.ts";
import { RuleError } from "../rule-error.ts";
import { ELEMENTWISE, STRUCTURAL } from "./functions.ts";
import type { At, MExpr } from "./spec.ts";

/** The names that are functions in every rule. */
export const BUILTIN_FUNCTIONS: ReadonlySet<string> = new Set([...ELEMENTWISE, ...STRUCTURAL]);

/**
 * Deepest nesting an expression may have: of parentheses, unary operators and calls as written,
 * and the height of its tree (every operator is a level, so a + b + c has height 3).
 */
export const MAX_DEPTH = 256;

type TokenKind = "num" | "name" | "op" | "end";
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

const NUMBER = /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const OPERATORS = [
  ".*",
  "./",
  ".^",
  "+",
  "-",
  "*",
  "/",
  "^",
  "'",
  "ᵀ",
  "⊙",
  "(",
  ")",
  ",",
  "=",
  "[",
  "]",
  "~",
  "|",
];

/**
 * Splits `text` into tokens; `line` and `column` are those of its first character. A newline
 * inside the text (a continued line) moves to column 1 of the next line.
 */
export function tokenize(text: string, line: number, column: number, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
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
    const name = number ? null : NAME.exec(text);
    const m = number ?? name;
    if (m) {
      tokens.push({ kind: number ? "num" : "name", text: m[0], line, column });
      i += m[0].length;
      column += m[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op === undefined)
      throw new RuleError(`unexpected character ${JSON.stringify(ch)}`, line, column, file);
    tokens.push({ kind: "op", text: op, line, column });
    i += op.length;
    column += op.length;
  }
  tokens.push({ kind: "end", text: "end of line", line, column });
  return tokens;
}

/** A cursor over tokens with the error helpers every parser of the rule language needs. */
export class TokenStream {
  pos = 0;
  constructor(
    readonly tokens: readonly Token[],
    readonly file: string,
  ) {}
  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }
  next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }
  isOp(op: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "op" && t.text === op;
  }
  at(t: Token = this.peek()): At {
    return { line: t.line, column: t.column };
  }
  fail(reason: string, t: Token = this.peek()): never {
    throw new RuleError(reason, t.line, t.column, this.file);
  }
  describe(t: Token = this.peek()): string {
    return t.kind === "end" ? "the end of the line" : JSON.stringify(t.text);
  }
  expectOp(op: string, context: string): Token {
    if (!this.isOp(op)) this.fail(`expected "${op}" ${context}, found ${this.describe()}`);
    return this.next();
  }
  expectEnd(context: string): void {
    if (this.peek().kind !== "end") this.fail(`unexpected ${this.describe()} after ${context}`);
  }
}

/**
 * Reads a number token, refusing values outside float64's range: too large (Infinity), or not
 * zero yet below the smallest positive float64 (it would read as 0).
 */
function numberValue(s: TokenStream, t: Token): number {
  const problem = literalRangeProblem(t.text);
  if (problem) s.fail(problem, t);
  return Number(t.text);
}

/**
 * Parses one expression from the stream (it does not require the end of the line). A name
 * followed by "(" is a call when it is one of `functions` (the elementwise functions, mean, sum,
 * diag and the rule's choices of functions); any other name followed by "(" is a factor of a
 * product, so `e (W2 W1)'` is e times (W2 W1)'.
 */
export function parseMatrixExpr(s: TokenStream, functions: ReadonlySet<string> = BUILTIN_FUNCTIONS): MExpr {
  // Two bounds keep every recursion over the expression (here, in the shape checker, in the
  // lowering) far from the stack's limit: the parser's own nesting (parentheses, unary
  // operators, calls) and the height of the tree it builds (a chain a + b + c is left-deep).
  let depth = 0;
  const enter = (t: Token) => {
    if (++depth > MAX_DEPTH) s.fail(`expression nested deeper than ${MAX_DEPTH} levels`, t);
  };
  const heights = new Map<MExpr, number>();
  const node = <E extends MExpr>(e: E, operands: readonly MExpr[], t: Token): E => {
    let h = 1;
    for (const o of operands) h = Math.max(h, 1 + (heights.get(o) ?? 1));
    if (h > MAX_DEPTH) {
      s.fail(
        `expression nested deeper than ${MAX_DEPTH} levels (each operator of a chain such as a + b + c is a level): split it into definitions`,
        t,
      );
    }
    heights.set(e, h);
    return e;
  };
  const startsOperand = (t: Token) =>
    t.kind === "num" || t.kind === "name" || (t.kind === "op" && t.text === "(");

  const parseSum = (): MExpr => {
    let left = parseTerm();
    while (s.isOp("+") || s.isOp("-")) {
      const op = s.next();
      const right = parseTerm();
      left = node(
        { kind: op.text === "+" ? "add" : "subtract", left, right, at: s.at(op) },
        [left, right],
        op,
      );
    }
    return left;
  };
  const parseTerm = (): MExpr => {
    let left = parseUnary();
    for (;;) {
      const t = s.peek();
      if (t.kind === "op" && ["*", "/", ".*", "./", "⊙"].includes(t.text)) {
        s.next();
        const right = parseUnary();
        const kind =
          t.text === "*"
            ? "product"
            : t.text === "/"
              ? "divide"
              : t.text === "./"
                ? "elementDivide"
                : "hadamard";
        left = node({ kind, left, right, at: s.at(t) }, [left, right], t);
      } else if (startsOperand(t)) {
        const right = parseUnary();
        left = node({ kind: "product", left, right, at: s.at(t) }, [left, right], t);
      } else return left;
    }
  };
  const parseUnary = (): MExpr => {
    const t = s.peek();
    if (s.isOp("-") || s.isOp("+")) {
      s.next();
      enter(t);
      const arg = parseUnary();
      depth--;
      return t.text === "-" ? node({ kind: "negate", arg, at: s.at(t) }, [arg], t) : arg;
    }
    return parsePostfix();
  };
  const parseExponent = (): number => {
    const paren = s.isOp("(");
    if (paren) s.next();
    let sign = 1;
    if (s.isOp("-")) {
      s.next();
      sign = -1;
    }
    const t = s.peek();
    if (t.kind !== "num" || !/^\d+$/.test(t.text))
      s.fail(`exponent must be an integer, found ${s.describe(t)}`);
    s.next();
    if (paren) s.expectOp(")", "after the exponent");
    const e = sign * Number(t.text);
    if (Math.abs(e) > 64)
      s.fail(`exponent ${t.text.length > 20 ? `${t.text.slice(0, 20)}...` : e} is outside [-64, 64]`, t);
    return e;
  };
  const parsePostfix = (): MExpr => {
    let e = parseAtom();
    for (;;) {
      const t = s.peek();
      if (s.isOp("'") || s.isOp("ᵀ")) {
        s.next();
        e = node({ kind: "transpose", arg: e, at: s.at(t) }, [e], t);
      } else if (s.isOp("^") && s.peek(1).kind === "name" && s.peek(1).text === "T") {
        s.next();
        s.next();
        e = node({ kind: "transpose", arg: e, at: s.at(t) }, [e], t);
      } else if (s.isOp("^") || s.isOp(".^")) {
        s.next();
        const exponent = parseExponent();
        if (s.isOp("^") || s.isOp(".^")) s.fail('chained powers "a^b^c" are ambiguous: use parentheses');
        e = node({ kind: "power", base: e, exponent, dotted: t.text === ".^", at: s.at(t) }, [e], t);
      } else return e;
    }
  };
  const parseArgs = (open: Token): MExpr[] => {
    enter(open);
    const args = [parseSum()];
    while (s.isOp(",")) {
      s.next();
      args.push(parseSum());
    }
    s.expectOp(")", `to close the "(" at ${open.line}:${open.column}`);
    depth--;
    return args;
  };
  const parseAtom = (): MExpr => {
    const t = s.peek();
    if (t.kind === "num") {
      s.next();
      return { kind: "num", value: numberValue(s, t), text: t.text, at: s.at(t) };
    }
    if (t.kind === "name") {
      s.next();
      if (!functions.has(t.text)) {
        const next = s.peek();
        const applied = s.isOp("(") && next.line === t.line && next.column === t.column + t.text.length;
        return { kind: "name", name: t.text, at: s.at(t), ...(applied ? { applied } : {}) };
      }
      if (s.isOp("'") && s.isOp("(", 1)) {
        s.next();
        const open = s.next();
        const args = parseArgs(open);
        return node({ kind: "call", fn: t.text, derivative: true, args, at: s.at(t) }, args, t);
      }
      if (s.isOp("(")) {
        const open = s.next();
        const args = parseArgs(open);
        return node({ kind: "call", fn: t.text, derivative: false, args, at: s.at(t) }, args, t);
      }
      return { kind: "name", name: t.text, at: s.at(t) };
    }
    if (s.isOp("(")) {
      const open = s.next();
      enter(open);
      const inner = parseSum();
      s.expectOp(")", `to close the "(" at ${open.line}:${open.column}`);
      depth--;
      return inner;
    }
    return s.fail(`expected a number, a name or "(", found ${s.describe(t)}`);
  };
  return parseSum();
}

/** Parses `text` as one whole expression starting at (line, column). */
export function parseMatrixExprText(
  text: string,
  line: number,
  column: number,
  file: string,
  functions: ReadonlySet<string> = BUILTIN_FUNCTIONS,
): MExpr {
  const s = new TokenStream(tokenize(text, line, column, file), file);
  if (s.peek().kind === "end") s.fail("missing expression");
  const e = parseMatrixExpr(s, functions);
  s.expectEnd("a complete expression");
  return e;
}

/** The expression as text in the rule language (fully parenthesized where precedence needs it). */
export function formatMatrixExpr(e: MExpr): string {
  const wrap = (x: MExpr) =>
    x.kind === "num" || x.kind === "name" || x.kind === "call" || x.kind === "transpose"
      ? formatMatrixExpr(x)
      : `(${formatMatrixExpr(x)})`;
  switch (e.kind) {
    case "num":
      return e.text;
    case "name":
      return e.name;
    case "product":
      return `${wrap(e.left)} ${wrap(e.right)}`;
    case "hadamard":
      return `${wrap(e.left)} .* ${wrap(e.right)}`;
    case "elementDivide":
      return `${wrap(e.left)} ./ ${wrap(e.right)}`;
    case "divide":
      return `${wrap(e.left)} / ${wrap(e.right)}`;
    case "add":
      return `${formatMatrixExpr(e.left)} + ${wrap(e.right)}`;
    case "subtract":
      return `${formatMatrixExpr(e.left)} - ${wrap(e.right)}`;
    case "negate":
      return `-${wrap(e.arg)}`;
    case "transpose":
      return `${wrap(e.arg)}'`;
    case "power":
      return `${wrap(e.base)}${e.dotted ? ".^" : "^"}${e.exponent < 0 ? `(${e.exponent})` : e.exponent}`;
    case "call":
      return `${e.fn}${e.derivative ? "'" : ""}(${e.args.map(formatMatrixExpr).join(", ")})`;
  }
}

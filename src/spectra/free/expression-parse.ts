/**
 * The text form of random-matrix expressions. One statement per line, `#` starts a comment:
 *
 *     param c = 0.5                 # a number, overridable by the caller
 *     dim N = 1                     # a space and its relative size
 *     dim M = c
 *     W1 = gaussian(N, M)           # N×M, iid N(0, 1/M); gaussian(N, M, variance)
 *     D1 = diagonal(M, signs(0.2))  # signs(α[, scale]), atoms([a, …], [p, …]), uniform(a, b)
 *     S = wigner(N)                 # wigner(N[, variance]); haar(N)
 *     D1 + W1' * D2 * W1            # the expression: the one line without "="
 *
 * Expressions: + and −, * (products and scalar coefficients), postfix ' (transpose), numbers
 * (a number in a sum is that multiple of the identity), parentheses; numbers combine with
 * + − * / as usual. Every error is a ParseError with line and column.
 */
import { ParseError } from "../../expr/parse.ts";
import { LearndynError } from "../../util/errors.ts";
import {
  atomsLaw,
  type DiagonalLaw,
  diagonal,
  gaussian,
  haar,
  identity,
  type MatrixExpr,
  product,
  type Space,
  scale,
  shapeOf,
  signsLaw,
  space,
  sum,
  transpose,
  uniformLaw,
  wigner,
} from "./expression.ts";

interface Token {
  kind: "name" | "num" | "op" | "nl" | "end";
  text: string;
  line: number;
  column: number;
}

type Value =
  | { kind: "number"; v: number }
  | { kind: "matrix"; e: MatrixExpr }
  | { kind: "space"; s: Space }
  | { kind: "law"; law: DiagonalLaw }
  | { kind: "list"; items: number[] };

export interface ParsedExpression {
  expression: MatrixExpr;
  params: Record<string, number>;
  spaces: Space[];
}

export interface ExpressionParseOptions {
  /** Values replacing the file's `param` defaults (unknown names are refused). */
  params?: Record<string, number>;
  /** File name, prefixed to errors. */
  source?: string;
}

function tokenize(text: string, source?: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let col = 1;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "#") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (ch === "\n") {
      out.push({ kind: "nl", text: "\n", line, column: col });
      i++;
      line++;
      col = 1;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      col++;
      continue;
    }
    const rest = text.slice(i);
    const num = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(rest);
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    const m = num ?? name;
    if (m) {
      out.push({ kind: num ? "num" : "name", text: m[0], line, column: col });
      i += m[0].length;
      col += m[0].length;
      continue;
    }
    if ("+-*/()[],='".includes(ch)) {
      out.push({ kind: "op", text: ch, line, column: col });
      i++;
      col++;
      continue;
    }
    throw new ParseError(`unexpected character ${JSON.stringify(ch)}`, line, col, source);
  }
  out.push({ kind: "nl", text: "\n", line, column: col });
  out.push({ kind: "end", text: "", line, column: col });
  return out;
}

const ENSEMBLES = ["gaussian", "wigner", "diagonal", "haar"];
const FUNCTIONS = [...ENSEMBLES, "signs", "atoms", "uniform", "identity"];

export function parseMatrixExpression(text: string, options: ExpressionParseOptions = {}): ParsedExpression {
  const src = options.source;
  const toks = tokenize(text, src);
  let k = 0;
  const peek = () => toks[k]!;
  const fail = (reason: string, t: Token = peek()): never => {
    throw new ParseError(reason, t.line, t.column, src);
  };
  const expect = (text: string) => {
    const t = peek();
    if (t.text !== text || t.kind === "nl")
      fail(`expected "${text}", found ${t.kind === "nl" ? "end of line" : `"${t.text}"`}`);
    k++;
    return t;
  };
  const env = new Map<string, Value>();
  const params: Record<string, number> = {};
  const spaces: Space[] = [];
  const overrides = new Set(Object.keys(options.params ?? {}));
  let target: MatrixExpr | null = null;
  let targetToken: Token | null = null;

  // Wraps a builder: its InvalidArgumentError becomes a ParseError at token t.
  const at = <T>(t: Token, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof ParseError) throw e;
      if (e instanceof LearndynError) fail(e.message, t);
      throw e;
    }
  };
  const asNumber = (v: Value, t: Token): number =>
    v.kind === "number" ? v.v : fail(`expected a number, found a ${v.kind}`, t);
  const asMatrix = (v: Value, t: Token, shapeHint?: MatrixExpr): MatrixExpr => {
    if (v.kind === "matrix") return v.e;
    if (v.kind === "number" && shapeHint) {
      const s = at(t, () => shapeOf(shapeHint));
      if (s.rows.name !== s.cols.name)
        fail(
          `a number stands for a multiple of the identity, but the other term is ${s.rows.name}×${s.cols.name}`,
          t,
        );
      return scale(v.v, identity(s.rows));
    }
    return fail(`expected a matrix, found a ${v.kind}`, t);
  };

  /** "(" expr ("," expr)* ")", each argument with its first token. */
  const argumentList = (): { v: Value; t: Token }[] => {
    expect("(");
    const args: { v: Value; t: Token }[] = [];
    if (peek().text !== ")") {
      for (;;) {
        const t = peek();
        args.push({ v: expr(), t });
        if (peek().text === ",") k++;
        else break;
      }
    }
    expect(")");
    return args;
  };

  const call = (nameTok: Token): Value => {
    const fn = nameTok.text;
    const args = argumentList();
    const arity = (lo: number, hi: number) => {
      if (args.length < lo || args.length > hi)
        fail(`${fn} takes ${lo === hi ? lo : `${lo} to ${hi}`} arguments, found ${args.length}`, nameTok);
    };
    const sp = (i: number) => {
      const a = args[i]!;
      return a.v.kind === "space"
        ? a.v.s
        : fail(`expected a space (declared with "dim"), found a ${a.v.kind}`, a.t);
    };
    const num = (i: number, dflt?: number) => (i < args.length ? asNumber(args[i]!.v, args[i]!.t) : dflt!);
    const list = (i: number) => {
      const a = args[i]!;
      return a.v.kind === "list" ? a.v.items : fail(`expected a list [a, b, …], found a ${a.v.kind}`, a.t);
    };
    switch (fn) {
      case "signs":
        arity(1, 2);
        return { kind: "law", law: at(nameTok, () => signsLaw(num(0), num(1, 1))) };
      case "atoms":
        arity(2, 2);
        return { kind: "law", law: at(nameTok, () => atomsLaw(list(0), list(1))) };
      case "uniform":
        arity(2, 2);
        return { kind: "law", law: at(nameTok, () => uniformLaw(num(0), num(1))) };
      case "identity":
        arity(1, 1);
        return { kind: "matrix", e: identity(sp(0)) };
      default:
        return fail(`${fn}(…) must be assigned to a name, e.g. X = ${fn}(…)`, nameTok);
    }
  };

  const primary = (): Value => {
    const t = peek();
    if (t.kind === "num") {
      k++;
      return { kind: "number", v: Number(t.text) };
    }
    if (t.text === "(") {
      k++;
      const v = expr();
      expect(")");
      return v;
    }
    if (t.text === "[") {
      k++;
      const items: number[] = [];
      if (peek().text !== "]") {
        for (;;) {
          const it = peek();
          items.push(asNumber(expr(), it));
          if (peek().text === ",") k++;
          else break;
        }
      }
      expect("]");
      return { kind: "list", items };
    }
    if (t.kind === "name") {
      k++;
      if (peek().text === "(" && FUNCTIONS.includes(t.text)) return call(t);
      const v = env.get(t.text);
      if (!v)
        fail(
          `unknown name "${t.text}"${FUNCTIONS.includes(t.text) ? "" : " (declare it with dim, param or an assignment first)"}`,
          t,
        );
      return v!;
    }
    return fail(`expected a number, a name or "(", found ${t.kind === "nl" ? "end of line" : `"${t.text}"`}`);
  };

  const postfix = (): Value => {
    const t = peek();
    let v = primary();
    while (peek().text === "'") {
      const q = peek();
      k++;
      v = v.kind === "number" ? v : { kind: "matrix", e: transpose(asMatrix(v, q)) };
    }
    void t;
    return v;
  };

  const unary = (): Value => {
    if (peek().text === "-") {
      const t = peek();
      k++;
      const v = unary();
      return v.kind === "number"
        ? { kind: "number", v: -v.v }
        : { kind: "matrix", e: scale(-1, asMatrix(v, t)) };
    }
    return postfix();
  };

  const term = (): Value => {
    let v = unary();
    while (peek().text === "*" || peek().text === "/") {
      const op = peek();
      k++;
      const rhsTok = peek();
      const w = unary();
      if (op.text === "/") {
        const d = asNumber(w, rhsTok);
        v =
          v.kind === "number"
            ? { kind: "number", v: v.v / d }
            : { kind: "matrix", e: scale(1 / d, asMatrix(v, op)) };
      } else if (v.kind === "number" && w.kind === "number") v = { kind: "number", v: v.v * w.v };
      else if (v.kind === "number") v = { kind: "matrix", e: scale(v.v, asMatrix(w, rhsTok)) };
      else if (w.kind === "number") v = { kind: "matrix", e: scale(w.v, asMatrix(v, op)) };
      else {
        const a = asMatrix(v, op);
        const b = asMatrix(w, rhsTok);
        v = { kind: "matrix", e: at(op, () => product(a, b)) };
      }
    }
    return v;
  };

  const expr = (): Value => {
    let v = term();
    while (peek().text === "+" || peek().text === "-") {
      const op = peek();
      k++;
      const rhsTok = peek();
      let w = term();
      if (op.text === "-")
        w =
          w.kind === "number"
            ? { kind: "number", v: -w.v }
            : { kind: "matrix", e: scale(-1, asMatrix(w, rhsTok)) };
      if (v.kind === "number" && w.kind === "number") v = { kind: "number", v: v.v + w.v };
      else {
        const a = asMatrix(v, op, w.kind === "matrix" ? w.e : undefined);
        const b = asMatrix(w, rhsTok, a);
        v = { kind: "matrix", e: at(op, () => sum(a, b)) };
      }
    }
    return v;
  };

  const endOfLine = () => {
    const t = peek();
    if (t.kind !== "nl") fail(`expected end of line, found "${t.text}"`);
    k++;
  };

  while (peek().kind !== "end") {
    const t = peek();
    if (t.kind === "nl") {
      k++;
      continue;
    }
    if (t.kind === "name" && (t.text === "dim" || t.text === "param") && toks[k + 1]?.kind === "name") {
      k++;
      const nameTok = peek();
      k++;
      if (env.has(nameTok.text)) fail(`"${nameTok.text}" is already defined`, nameTok);
      expect("=");
      const vt = peek();
      let v = asNumber(expr(), vt);
      if (t.text === "param") {
        if (overrides.has(nameTok.text)) {
          v = options.params![nameTok.text]!;
          overrides.delete(nameTok.text);
        }
        params[nameTok.text] = v;
        env.set(nameTok.text, { kind: "number", v });
      } else {
        const s = at(vt, () => space(nameTok.text, v));
        spaces.push(s);
        env.set(nameTok.text, { kind: "space", s });
      }
      endOfLine();
      continue;
    }
    if (t.kind === "name" && toks[k + 1]?.text === "=") {
      k += 2;
      if (env.has(t.text)) fail(`"${t.text}" is already defined`, t);
      const rhs = peek();
      let v: Value;
      if (rhs.kind === "name" && ENSEMBLES.includes(rhs.text) && toks[k + 1]?.text === "(") {
        k++;
        const args = argumentList();
        const sp = (i: number) => {
          const a = args[i];
          if (!a) return fail(`${rhs.text} needs a space as argument ${i + 1}`, rhs);
          return a.v.kind === "space"
            ? a.v.s
            : fail(`expected a space (declared with "dim"), found a ${a.v.kind}`, a.t);
        };
        const num = (i: number, d: number) => (args[i] ? asNumber(args[i]!.v, args[i]!.t) : d);
        const maxArgs = { gaussian: 3, wigner: 2, diagonal: 2, haar: 1 }[rhs.text]!;
        if (args.length > maxArgs)
          fail(`${rhs.text} takes at most ${maxArgs} arguments, found ${args.length}`, rhs);
        const e = at(rhs, () => {
          switch (rhs.text) {
            case "gaussian":
              return gaussian(t.text, sp(0), sp(1), num(2, 1));
            case "wigner":
              return wigner(t.text, sp(0), num(1, 1));
            case "diagonal": {
              const a = args[1];
              if (!a || a.v.kind !== "law")
                return fail(
                  "diagonal(space, law) needs a law: signs(α), atoms([…], […]) or uniform(a, b)",
                  a?.t ?? rhs,
                );
              return diagonal(t.text, sp(0), a.v.law);
            }
            default:
              return haar(t.text, sp(0));
          }
        });
        v = { kind: "matrix", e };
      } else v = expr();
      env.set(t.text, v);
      endOfLine();
      continue;
    }
    if (target) fail('a second expression: the file holds one expression (the line without "=")', t);
    targetToken = t;
    target = asMatrix(expr(), t);
    endOfLine();
  }
  if (overrides.size > 0) {
    const name = [...overrides][0]!;
    throw new ParseError(`parameter "${name}" is given but the file declares no "param ${name}"`, 1, 1, src);
  }
  if (!target)
    throw new ParseError(
      'no expression: add a line with the matrix expression (without "=")',
      peek().line,
      1,
      src,
    );
  void targetToken;
  return { expression: target, params, spaces };
}

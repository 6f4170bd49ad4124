// A one-line expression parser for the hand-built models of these tests, so they do not depend on
// the real grammar: numbers, strings, booleans, names, calls with named arguments, `a.b`, lists,
// + - * / and parentheses, each node carrying its exact source range.
import type { Argument, Call, Expression, Position, SourceRange } from '../../grammar/ast.js';

interface Token {
  kind: 'number' | 'string' | 'name' | 'punct';
  text: string;
  start: number;
  end: number;
}

const TOKEN = /\s*(?:(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+)|("(?:[^"\\]|\\.)*")|([A-Za-z_][A-Za-z0-9_]*)|([()[\],=+\-*/.]))/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length && /\S/.test(text.slice(TOKEN.lastIndex))) {
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`mini-parser: cannot read ${JSON.stringify(text.slice(TOKEN.lastIndex))}`);
    const raw = m[1] ?? m[2] ?? m[3] ?? m[4]!;
    const kind = m[1] ? 'number' : m[2] ? 'string' : m[3] ? 'name' : 'punct';
    tokens.push({ kind, text: raw, start: m.index + m[0].length - raw.length, end: m.index + m[0].length });
  }
  return tokens;
}

/** Parses `text`, which sits in the source at `line`/`column` (1-based) and `offset` (0-based). */
export function parseExpression(text: string, at: Position): Expression {
  const tokens = tokenize(text);
  let i = 0;
  const pos = (index: number): Position => ({ offset: at.offset + index, line: at.line, column: at.column + index });
  const range = (start: number, end: number): SourceRange => ({ start: pos(start), end: pos(end) });
  const peek = (t?: string) => (t === undefined ? tokens[i] : tokens[i]?.text === t ? tokens[i] : undefined);
  const expect = (t: string) => {
    if (!peek(t)) throw new Error(`mini-parser: expected ${t} in ${text}`);
    return tokens[i++]!;
  };
  const startOf = (e: Expression) => e.range.start.offset - at.offset;
  const endOf = (e: Expression) => e.range.end.offset - at.offset;

  function binary(next: () => Expression, ops: string[]): () => Expression {
    return () => {
      let left = next();
      while (tokens[i] && ops.includes(tokens[i]!.text)) {
        const operator = tokens[i++]!.text as '+' | '-' | '*' | '/';
        const right = next();
        left = { kind: 'BinaryExpression', operator, left, right, range: range(startOf(left), endOf(right)) };
      }
      return left;
    };
  }
  const unary = (): Expression => {
    if (peek('-') || peek('+')) {
      const op = tokens[i++]!;
      const operand = unary();
      return { kind: 'UnaryExpression', operator: op.text as '-' | '+', operand, range: range(op.start, endOf(operand)) };
    }
    return postfix();
  };
  const term = binary(unary, ['*', '/']);
  const expression = binary(term, ['+', '-']);

  function postfix(): Expression {
    let e = primary();
    while (peek('.')) {
      i++;
      const member = tokens[i++]!;
      e = { kind: 'MemberAccess', object: e, member: { kind: 'Identifier', name: member.text, range: range(member.start, member.end) }, range: range(startOf(e), member.end) };
    }
    if (peek('(') && (e.kind === 'NameRef' || e.kind === 'MemberAccess')) {
      i++;
      const args: Argument[] = [];
      while (!peek(')')) {
        args.push(argument());
        if (!peek(')')) expect(',');
      }
      const close = expect(')');
      const call: Call = { kind: 'Call', callee: e, args, hasParens: true, range: range(startOf(e), close.end) };
      return call;
    }
    return e;
  }
  function argument(): Argument {
    const t = tokens[i]!;
    if (t.kind === 'name' && tokens[i + 1]?.text === '=') {
      i += 2;
      const value = expression();
      return { kind: 'Argument', name: { kind: 'Identifier', name: t.text, range: range(t.start, t.end) }, value, range: range(t.start, endOf(value)) };
    }
    const value = expression();
    return { kind: 'Argument', value, range: value.range };
  }
  function primary(): Expression {
    const t = tokens[i++];
    if (!t) throw new Error(`mini-parser: unexpected end of ${text}`);
    const r = range(t.start, t.end);
    if (t.kind === 'number') return { kind: 'NumberLiteral', value: Number(t.text), raw: t.text, range: r };
    if (t.kind === 'string') return { kind: 'StringLiteral', value: JSON.parse(t.text) as string, raw: t.text, range: r };
    if (t.text === 'true' || t.text === 'false') return { kind: 'BooleanLiteral', value: t.text === 'true', range: r };
    if (t.kind === 'name') return { kind: 'NameRef', name: t.text, range: r };
    if (t.text === '(') {
      const inner = expression();
      const close = expect(')');
      return { kind: 'ParenExpression', expression: inner, range: range(t.start, close.end) };
    }
    if (t.text === '[') {
      const elements: Expression[] = [];
      while (!peek(']')) {
        elements.push(expression());
        if (!peek(']')) expect(',');
      }
      const close = expect(']');
      return { kind: 'ListExpression', elements, range: range(t.start, close.end) };
    }
    throw new Error(`mini-parser: unexpected ${t.text} in ${text}`);
  }

  const result = expression();
  if (i !== tokens.length) throw new Error(`mini-parser: trailing ${tokens[i]!.text} in ${text}`);
  return result;
}

/** A bare name as a call without parentheses (`sigmoid`), the way layers and activations are held. */
export function asCall(expr: Expression): Call {
  if (expr.kind === 'Call') return expr;
  if (expr.kind === 'NameRef') return { kind: 'Call', callee: expr, args: [], hasParens: false, range: expr.range };
  throw new Error(`not a call: ${expr.kind}`);
}

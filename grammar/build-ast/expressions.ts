// Builds expressions: operator precedence, signs, suffixes (`.b`, `[i]`, `(args)`), literals, lists and call arguments.
import type { CstNode, IToken } from 'chevrotain';
import type * as ast from '../ast.js';
import { tokenMatcher } from '../chevrotain.js';
import type * as cst from '../cst.js';
import { cstSpan, first, isRealToken, tokenSpan, unescapeString } from '../syntax-helpers.js';
import * as t from '../tokens.js';
import { checkCommas, expectEquals } from './checks.js';
import type { BuildContext } from './context.js';

export function expressionOr(b: BuildContext, node: cst.ExpressionCstNode | undefined, fallback: number): ast.Expression {
  return node ? expression(b, node.children, fallback) : b.missingExpression(fallback);
}

/** The flat operand/operator list, with `*` `/` binding tighter than `+` `-`, all left-associative.
 *  An operator with nothing on its right gets a MissingExpression there. */
export function expression(b: BuildContext, ctx: cst.ExpressionCstChildren, fallback?: number): ast.Expression {
  const operands = ctx.operands ?? [];
  const operators = ctx.operators;
  let current = operandAt(b, operands, 0, fallback ?? 0);
  // Most expressions are a single operand: no operator lists to build.
  if (operators === undefined || operators.length === 0) return current;
  const terms: ast.Expression[] = [];
  const additive: IToken[] = [];
  for (let i = 0; i < operators.length; i++) {
    const operator = operators[i]!;
    const operatorEnd = isRealToken(operator) ? tokenSpan(operator).end : current.range.end.offset;
    const right = operandAt(b, operands, i + 1, operatorEnd);
    if (operator.image === '*' || operator.image === '/') {
      current = binary(b, operator, current, right, operatorEnd);
    } else {
      terms.push(current);
      additive.push(operator);
      current = right;
    }
  }
  terms.push(current);
  let result = terms[0]!;
  for (let i = 0; i < additive.length; i++) {
    const operator = additive[i]!;
    const operatorEnd = isRealToken(operator) ? tokenSpan(operator).end : result.range.end.offset;
    result = binary(b, operator, result, terms[i + 1]!, operatorEnd);
  }
  return result;
}

function operandAt(b: BuildContext, operands: cst.OperandCstNode[], i: number, at: number): ast.Expression {
  const node = operands[i];
  return node ? operand(b, node.children, node, at) : b.missingExpression(at);
}

function binary(b: BuildContext, operator: IToken, left: ast.Expression, right: ast.Expression, operatorEnd: number): ast.BinaryExpression {
  return {
    kind: 'BinaryExpression',
    operator: operator.image as ast.BinaryOperator,
    left,
    right,
    range: b.range({ start: left.range.start.offset, end: Math.max(right.range.end.offset, operatorEnd) }),
  };
}

/** A sign and its operand, or a primary and its suffixes (`.b`, `[i]`, `(args)`) in source order. */
export function operand(b: BuildContext, ctx: cst.OperandCstChildren, node?: CstNode, fallback?: number): ast.Expression {
  const sign = first(ctx.sign);
  if (sign) {
    const signSpan = isRealToken(sign) ? tokenSpan(sign) : { start: fallback ?? 0, end: fallback ?? 0 };
    const signedNode = first(ctx.signed);
    const signed = signedNode ? operand(b, signedNode.children, signedNode, signSpan.end) : b.missingExpression(signSpan.end);
    return {
      kind: 'UnaryExpression',
      operator: sign.image as '-' | '+',
      operand: signed,
      range: b.range({ start: signSpan.start, end: Math.max(signed.range.end.offset, signSpan.end) }),
    };
  }
  let result = primary(b, ctx, cstSpan(node)?.start ?? fallback ?? 0);
  if (ctx.memberSuffix === undefined && ctx.indexSuffix === undefined && ctx.argumentList === undefined) return result;
  // The suffixes live in one list per kind; their source order is the order they apply in.
  const suffixes: CstNode[] = [...(ctx.memberSuffix ?? []), ...(ctx.indexSuffix ?? []), ...(ctx.argumentList ?? [])];
  if (suffixes.length > 1) suffixes.sort((x, y) => (cstSpan(x)?.start ?? Infinity) - (cstSpan(y)?.start ?? Infinity));
  for (const suffix of suffixes) {
    const end = cstSpan(suffix)?.end ?? result.range.end.offset;
    const span = { start: result.range.start.offset, end: Math.max(end, result.range.end.offset) };
    if (suffix.name === 'memberSuffix') {
      const children = suffix.children as cst.MemberSuffixCstChildren;
      const member = b.identifierFromToken(first(children.Identifier), b.after(first(children.Dot)));
      result = { kind: 'MemberAccess', object: result, member, range: b.range(span) };
    } else if (suffix.name === 'indexSuffix') {
      const children = suffix.children as cst.IndexSuffixCstChildren;
      const index = expressionOr(b, first(children.expression), b.after(first(children.LBracket)));
      result = { kind: 'IndexExpression', object: result, index, range: b.range(span) };
    } else {
      const args = argumentList(b, suffix.children as cst.ArgumentListCstChildren, suffix);
      if (result.kind === 'NameRef' || result.kind === 'MemberAccess') {
        result = { kind: 'Call', callee: result, args, hasParens: true, range: b.range(span) };
      } else if (result.kind !== 'MissingExpression') {
        b.report('AE1017', 'only a name can be called, like `f(...)` or `lib.f(...)`', span);
      }
    }
  }
  return result;
}

function primary(b: BuildContext, ctx: cst.OperandCstChildren, fallback: number): ast.Expression {
  const number = first(ctx.NumberLiteral);
  if (isRealToken(number)) return { kind: 'NumberLiteral', value: Number(number.image), raw: number.image, range: b.range(tokenSpan(number)) };
  const string = first(ctx.StringLiteral);
  if (isRealToken(string)) return stringLiteral(b, string);
  const bool = first(ctx.True) ?? first(ctx.False);
  if (isRealToken(bool)) return { kind: 'BooleanLiteral', value: bool.image === 'true', range: b.range(tokenSpan(bool)) };
  const word = first(ctx.Identifier) ?? first(ctx.ReferableKeyword);
  if (isRealToken(word)) return { kind: 'NameRef', name: word.image, range: b.range(tokenSpan(word)) };
  const paren = first(ctx.parenExpression);
  if (paren) return parenExpression(b, paren.children, paren);
  const list = first(ctx.listExpression);
  if (list) return listExpression(b, list.children, list);
  return b.missingExpression(fallback);
}

export function parenExpression(b: BuildContext, ctx: cst.ParenExpressionCstChildren, node?: CstNode): ast.ParenExpression {
  const expression = expressionOr(b, first(ctx.expression), b.after(first(ctx.LParen)));
  return b.flagged(node, { kind: 'ParenExpression', expression, range: b.range(b.spanOf(node, expression.range.start.offset, expression)) });
}

export function listExpression(b: BuildContext, ctx: cst.ListExpressionCstChildren, node?: CstNode): ast.ListExpression {
  const elements = (ctx.expression ?? []).map((e) => expression(b, e.children, cstSpan(e)?.start ?? 0));
  checkCommas(b, elements, ctx.Comma, 'list items');
  const start = b.after(first(ctx.LBracket));
  return b.flagged(node, { kind: 'ListExpression', elements, range: b.range(b.spanOf(node, start, ...elements)) });
}

export function stringLiteral(b: BuildContext, token: IToken): ast.StringLiteral {
  const { value, badEscapes } = unescapeString(token.image);
  for (const at of badEscapes) {
    const start = token.startOffset + at;
    b.report('AE1004', `unknown escape \`\\${token.image[at + 1] ?? ''}\` in a string`, { start: start, end: start + 2 }, {
      notes: ['known escapes: `\\n`, `\\t`, `\\r`, `\\"`, `\\\\`, `\\0`'],
    });
  }
  const closed = !tokenMatcher(token, t.UnterminatedString);
  return { kind: 'StringLiteral', value, raw: token.image, range: b.range(tokenSpan(token)), ...(closed ? {} : { recovered: true }) };
}

export function argumentList(b: BuildContext, ctx: cst.ArgumentListCstChildren, _node?: CstNode): ast.Argument[] {
  const args = (ctx.argument ?? []).map((a) => argument(b, a.children, a));
  checkCommas(b, args, ctx.Comma, 'arguments');
  return args;
}

export function argument(b: BuildContext, ctx: cst.ArgumentCstChildren, node?: CstNode): ast.Argument {
  const nameToken = first(ctx.Identifier);
  const binder = first(ctx.Binder);
  const fallback = cstSpan(node)?.start ?? 0;
  if (nameToken) {
    expectEquals(b, binder, `after the argument name \`${nameToken.image}\``);
    const name = b.identifierFromToken(nameToken, fallback);
    const value = expressionOr(b, first(ctx.expression), b.after(nameToken, binder));
    return { kind: 'Argument', name, value, range: b.range(b.spanOf(node, name.range.start.offset, name, value)) };
  }
  const value = expressionOr(b, first(ctx.expression), fallback);
  return { kind: 'Argument', value, range: value.range };
}

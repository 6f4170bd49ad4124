// Builds the file and its top-level declarations: import, let, block (with parameters) and model.
import type { CstNode } from 'chevrotain';
import type * as ast from '../ast.js';
import type * as cst from '../cst.js';
import type { TokenTape } from '../token-tape.js';
import { cstSpan, first, isRealToken } from '../syntax-helpers.js';
import { checkCommas, expectEquals } from './checks.js';
import { exactly, type BuildContext } from './context.js';
import { expressionOr, stringLiteral } from './expressions.js';
import { layersOf, plainIdentifier, plainLayerBlock, plainValue } from './layers.js';
import { member, plainMemberTree, type MemberNodeBuiltAhead } from './members.js';
import * as t from '../tokens.js';
import { name, nameOr } from './names.js';

/** A declaration's CST node that stands for a tree built from its tokens (`plainModel`, `plainBlock`, `plainLet`). */
type DeclarationNodeBuiltAhead = cst.DeclarationCstNode & { builtAhead?: ast.Declaration };

export function file(b: BuildContext, ctx: cst.FileCstChildren): ast.SourceFile {
  // A loop, not a flatMap with an array per declaration: that was 50 ms of a fresh process's parse
  // of 43,000 blocks.
  const declarations: ast.Declaration[] = [];
  for (const d of ctx.declaration ?? []) {
    const built = (d as DeclarationNodeBuiltAhead).builtAhead ?? (b.prebuilt.has(d) ? b.prebuilt.get(d) : declaration(b, d.children));
    if (built) declarations.push(built);
  }
  return { kind: 'SourceFile', declarations, comments: [], range: b.range({ start: 0, end: b.lines.text.length }) };
}

export function declaration(b: BuildContext, ctx: cst.DeclarationCstChildren): ast.Declaration | undefined {
  const importNode = first(ctx.importDeclaration);
  if (importNode) return importDeclaration(b, importNode.children, importNode);
  const letNode = first(ctx.letDeclaration);
  if (letNode) return letDeclaration(b, letNode.children, letNode);
  const blockNode = first(ctx.blockDeclaration);
  if (blockNode) return blockDeclaration(b, blockNode.children, blockNode);
  const modelNode = first(ctx.modelDeclaration);
  if (modelNode) return modelDeclaration(b, modelNode.children, modelNode);
  return undefined;
}

export function importDeclaration(b: BuildContext, ctx: cst.ImportDeclarationCstChildren, node?: CstNode): ast.ImportDeclaration {
  const pathToken = first(ctx.StringLiteral);
  const afterImport = b.after(first(ctx.Import));
  const path: ast.StringLiteral = isRealToken(pathToken)
    ? stringLiteral(b, pathToken)
    : { kind: 'StringLiteral', value: '', raw: '', range: b.range({ start: afterImport, end: afterImport }), recovered: true };
  const aliasNode = first(ctx.name);
  const alias = aliasNode ? name(b, aliasNode.children, b.after(first(ctx.As))) : undefined;
  return {
    kind: 'ImportDeclaration',
    path,
    ...(alias ? { alias } : {}),
    range: b.range(b.spanOf(node, afterImport, path, alias)),
    ...(node?.recoveredNode ? { recovered: true } : {}),
  };
}

export function letDeclaration(b: BuildContext, ctx: cst.LetDeclarationCstChildren, node?: CstNode): ast.LetDeclaration {
  const binder = first(ctx.Binder);
  expectEquals(b, binder, 'after the name in `let`');
  const name = nameOr(b, first(ctx.name), b.after(first(ctx.Let)));
  const value = expressionOr(b, first(ctx.expression), b.after(first(ctx.Let), binder));
  return b.flagged(node, { kind: 'LetDeclaration', name, value, range: b.range(b.spanOf(node, name.range.start.offset, name, value)) });
}

export function blockDeclaration(b: BuildContext, ctx: cst.BlockDeclarationCstChildren, node?: CstNode): ast.BlockDeclaration {
  const name = nameOr(b, first(ctx.name), b.after(first(ctx.Block)));
  const parameters = (ctx.blockParameter ?? []).map((p) => blockParameter(b, p.children, p));
  checkCommas(b, parameters, ctx.Comma, 'parameters');
  const layers = layersOf(b, first(ctx.layerBlock));
  return b.flagged(node, {
    kind: 'BlockDeclaration',
    name,
    parameters,
    layers,
    range: b.range(b.spanOf(node, name.range.start.offset, name)),
  });
}

export function blockParameter(b: BuildContext, ctx: cst.BlockParameterCstChildren, node?: CstNode): ast.BlockParameter {
  const name = nameOr(b, first(ctx.name), cstSpan(node)?.start ?? 0);
  const binder = first(ctx.Binder);
  expectEquals(b, binder, 'before a parameter default');
  const defaultNode = first(ctx.expression);
  const value = binder ? expressionOr(b, defaultNode, b.after(binder)) : undefined;
  return {
    kind: 'BlockParameter',
    name,
    ...(value ? { default: value } : {}),
    range: b.range(b.spanOf(node, name.range.start.offset, name, value)),
  };
}

export function modelDeclaration(b: BuildContext, ctx: cst.ModelDeclarationCstChildren, node?: CstNode): ast.ModelDeclaration {
  const name = nameOr(b, first(ctx.name), b.after(first(ctx.Model)));
  const members = (ctx.member ?? []).flatMap((m) => {
    const built = (m as MemberNodeBuiltAhead).builtAhead ?? member(b, m.children);
    return built ? [built] : [];
  });
  return b.flagged(node, { kind: 'ModelDeclaration', name, members, range: b.range(b.spanOf(node, name.range.start.offset, name)) });
}

/**
 * The tree of a plain model (AeParser.plainModelLength), tokens `from` up to `to` (exclusive) of the
 * tape: `model name {`, plain members ending (exclusive) at `memberEnds`, each followed by at most
 * one `,`, and `}`. It is the tree `declaration` builds from the CST the grammar makes of those
 * tokens (key order, ranges, no diagnostic), made without that CST; returned as the declaration's
 * node in the file's CST.
 */
export function plainModel(b: BuildContext, tape: TokenTape, from: number, to: number, memberEnds: readonly number[]): cst.DeclarationCstNode {
  const name = plainIdentifier(b, tape, from + 1);
  const members: ast.ModelMember[] = [];
  let start = from + 3;
  for (const end of memberEnds) {
    members.push(plainMemberTree(b, tape, start, end));
    start = tape.type(end) === t.Comma ? end + 1 : end;
  }
  const built: ast.ModelDeclaration = { kind: 'ModelDeclaration', name, members: exactly(members), range: b.between(tape.start(from), tape.end(to - 1)) };
  return declarationBuiltAhead(built);
}

/**
 * The tree of a plain block declaration (AeParser.plainBlockLength), tokens `from` up to `to`
 * (exclusive) of the tape: `block name(`, parameters (a name, optionally `= value`) each followed
 * by one `,` or the `)`, and a plain layer block ending at `to - 1`. It is the tree `declaration`
 * builds from the CST the grammar makes of those tokens (key order, ranges, no diagnostic), made
 * without that CST; returned as the declaration's node in the file's CST.
 */
export function plainBlock(b: BuildContext, tape: TokenTape, from: number, to: number): cst.DeclarationCstNode {
  const name = plainIdentifier(b, tape, from + 1);
  const parameters: ast.BlockParameter[] = [];
  let index = from + 3;
  while (tape.type(index) !== t.RParen) {
    const defaulted = tape.type(index + 1) === t.Equals;
    parameters.push(plainParameter(b, tape, index, defaulted ? index + 2 : undefined));
    index += defaulted ? 3 : 1;
    if (tape.type(index) === t.Comma) index++;
  }
  const layers = plainLayerBlock(b, tape, index + 1, to - 1);
  const range = b.between(tape.start(from), tape.end(to - 1));
  return declarationBuiltAhead({ kind: 'BlockDeclaration', name, parameters: exactly(parameters), layers, range });
}

/** A block's parameter, its name the token at `nameAt` and its default, if any, the one value token at `defaultAt`. */
function plainParameter(b: BuildContext, tape: TokenTape, nameAt: number, defaultAt: number | undefined): ast.BlockParameter {
  const name = plainIdentifier(b, tape, nameAt);
  if (defaultAt === undefined) return { kind: 'BlockParameter', name, range: name.range };
  const value = plainValue(b, tape, defaultAt);
  return { kind: 'BlockParameter', name, default: value, range: b.between(tape.start(nameAt), value.range.end.offset) };
}

/**
 * The tree of a plain let declaration (AeParser.plainLetLength), tokens `from` up to `to`
 * (exclusive) of the tape: `let name = v`, or `let name = v op v` (`op` one of `+ - * /`), each `v`
 * one value token. It is the tree `declaration` builds from the CST the grammar makes of those
 * tokens (key order, ranges, no diagnostic), made without that CST; returned as the declaration's
 * node in the file's CST.
 */
export function plainLet(b: BuildContext, tape: TokenTape, from: number, to: number): cst.DeclarationCstNode {
  const name = plainIdentifier(b, tape, from + 1);
  const left = plainValue(b, tape, from + 3);
  const value = to - from === 4 ? left : plainBinary(b, tape.image(from + 4), left, plainValue(b, tape, from + 5));
  return declarationBuiltAhead({ kind: 'LetDeclaration', name, value, range: b.between(tape.start(from), value.range.end.offset) });
}

/** `left op right`, as the expression builder's `binary` builds it when both sides are real. */
function plainBinary(b: BuildContext, operator: string, left: ast.Expression, right: ast.Expression): ast.BinaryExpression {
  const range = b.between(left.range.start.offset, right.range.end.offset);
  return { kind: 'BinaryExpression', operator: operator as ast.BinaryOperator, left, right, range };
}

/** The declaration's node in the file's CST that stands for `built`, a tree built from its tokens. */
function declarationBuiltAhead(built: ast.Declaration): cst.DeclarationCstNode {
  const location = { startOffset: built.range.start.offset, endOffset: built.range.end.offset - 1 };
  const node = { name: 'declaration', children: {}, location } as DeclarationNodeBuiltAhead;
  node.builtAhead = built;
  return node;
}

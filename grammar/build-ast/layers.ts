// Builds layer blocks: layer calls (`conv2d(16) as c1`), `repeat n { ... }`, and the dotted calls they are made of.
import type { CstNode } from 'chevrotain';
import type * as ast from '../ast.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type * as cst from '../cst.js';
import type { TokenTape } from '../token-tape.js';
import { cstSpan, first, isRealToken, tokenSpan } from '../syntax-helpers.js';
import { exactly, type BuildContext } from './context.js';
import { argumentList, expressionOr } from './expressions.js';
import { name } from './names.js';
import * as t from '../tokens.js';

export function layersOf(b: BuildContext, node: cst.LayerBlockCstNode | undefined): ast.Layer[] {
  return node ? layerBlock(b, node.children) : [];
}

/** A layer's CST node whose tree was built ahead (`buildLayerAhead`), with the diagnostics building
 *  it reported: those are reported when its body takes the layer, as if it were built then, so the
 *  order and the set of diagnostics do not change (a layer of a body nothing builds reports nothing). */
type LayerNodeBuiltAhead = cst.LayerCstNode & { builtAhead?: { layer: ast.Layer | undefined; diagnostics: Diagnostic[] } };

export function layerBlock(b: BuildContext, ctx: cst.LayerBlockCstChildren): ast.Layer[] {
  const built: ast.Layer[] = [];
  for (const node of (ctx.layer ?? []) as LayerNodeBuiltAhead[]) {
    const ahead = node.builtAhead;
    let one: ast.Layer | undefined;
    if (ahead) {
      for (const d of ahead.diagnostics) b.diagnostics.push(d);
      one = ahead.layer;
    } else {
      one = layer(b, node.children);
    }
    if (one) built.push(one);
  }
  return built;
}

/** Builds one layer as the parser finishes it (AeParser.layerSink) and empties its CST node, so the
 *  CST below it can be collected at once; its body's layerBlock takes the tree kept on the node. */
export function buildLayerAhead(b: BuildContext, node: cst.LayerCstNode): void {
  const before = b.diagnostics.length;
  const built = layer(b, node.children);
  (node as LayerNodeBuiltAhead).builtAhead = { layer: built, diagnostics: before === b.diagnostics.length ? NO_DIAGNOSTICS : b.diagnostics.splice(before) };
  const children = node.children as Record<string, unknown[] | undefined>;
  for (const key in children) children[key]!.length = 0;
}

const NO_DIAGNOSTICS: Diagnostic[] = [];

/**
 * The tree of a plain layer (AeParser.plainLayerLength), tokens `from` up to `to` (exclusive) of the
 * tape: `name(args)`, each argument a number, a name, `true` or `false`, optionally after
 * `name =`, between single commas; or a bare `name`. It is the tree `layer` builds from the CST
 * the grammar makes of those tokens (key order, ranges, no diagnostic), made without that CST;
 * returned as the layer's node in its body's CST, built ahead as `buildLayerAhead` leaves one.
 */
export function plainLayer(b: BuildContext, tape: TokenTape, from: number, to: number): cst.LayerCstNode {
  const layer = plainLayerCall(b, tape, from, to);
  const call = layer.call;
  const node = { name: 'layer', children: {}, location: { startOffset: call.range.start.offset, endOffset: call.range.end.offset - 1 } } as cst.LayerCstNode;
  (node as LayerNodeBuiltAhead).builtAhead = { layer, diagnostics: NO_DIAGNOSTICS };
  return node;
}

/** The tree of a plain layer, tokens `from` up to `to` (exclusive). The layer spans its call, and
 *  shares the call's range (a range is never changed; one fewer object a layer of a megabyte). */
function plainLayerCall(b: BuildContext, tape: TokenTape, from: number, to: number): ast.LayerCall {
  const call = plainCall(b, tape, from, to);
  return { kind: 'LayerCall', call, range: call.range };
}

/** The layers of a plain layer block (AeParser.plainLayerBlockEnd), its `{` the token at `open` and
 *  its `}` at `close`: plain layers, each a bare name or ending at its first `)`, each followed by
 *  at most one `,`. */
export function plainLayerBlock(b: BuildContext, tape: TokenTape, open: number, close: number): ast.Layer[] {
  const layers: ast.Layer[] = [];
  let index = open + 1;
  while (index < close) {
    // A bare name, or a name and its arguments up to their `)`.
    let end = index;
    if (tape.type(index + 1) === t.LParen) while (tape.type(end) !== t.RParen) end++;
    layers.push(plainLayerCall(b, tape, index, end + 1));
    index = tape.type(end + 1) === t.Comma ? end + 2 : end + 1;
  }
  return exactly(layers);
}

/** The call of a plain layer or member, tokens `from` up to `to` (exclusive): a name and, when more
 *  tokens follow it, a plain argument list (AeParser.plainArgumentsEnd). */
export function plainCall(b: BuildContext, tape: TokenTape, from: number, to: number): ast.Call {
  const callee: ast.NameRef = { kind: 'NameRef', name: tape.image(from), range: b.tokenAt(tape, from) };
  if (to === from + 1) return { kind: 'Call', callee, args: [], hasParens: false, range: callee.range };
  const args = plainArguments(b, tape, from + 2, to - 1);
  return { kind: 'Call', callee, args, hasParens: true, range: b.between(tape.start(from), tape.end(to - 1)) };
}

/** The plain arguments from the token at `from` (the first argument) up to `to` (the `)`). */
export function plainArguments(b: BuildContext, tape: TokenTape, from: number, to: number): ast.Argument[] {
  const args: ast.Argument[] = [];
  // From the first argument; after each one comes its comma or the `)`.
  for (let index = from; index < to; index += 2) {
    if (tape.type(index + 1) === t.Equals) {
      const name = plainIdentifier(b, tape, index);
      const value = plainValue(b, tape, index + 2);
      args.push({ kind: 'Argument', name, value, range: b.between(tape.start(index), value.range.end.offset) });
      index += 2;
    } else {
      const value = plainValue(b, tape, index);
      args.push({ kind: 'Argument', value, range: value.range });
    }
  }
  return exactly(args);
}

/** The token at `index`, a number, a name, `true` or `false`, as the grammar's operand of that one
 *  token builds it. */
export function plainValue(b: BuildContext, tape: TokenTape, index: number): ast.Expression {
  const range = b.tokenAt(tape, index);
  const type = tape.type(index);
  const image = tape.image(index);
  if (type === t.NumberLiteral) return { kind: 'NumberLiteral', value: Number(image), raw: image, range };
  if (type === t.Identifier) return { kind: 'NameRef', name: image, range };
  return { kind: 'BooleanLiteral', value: image === 'true', range };
}

/** The name at `index` (a plain tree's), as `identifierFromToken` builds it. */
export function plainIdentifier(b: BuildContext, tape: TokenTape, index: number): ast.Identifier {
  return { kind: 'Identifier', name: tape.image(index), range: b.tokenAt(tape, index) };
}

export function layer(b: BuildContext, ctx: cst.LayerCstChildren): ast.Layer | undefined {
  const repeatNode = first(ctx.repeatLayer);
  if (repeatNode) return repeatLayer(b, repeatNode.children, repeatNode);
  const callNode = first(ctx.layerCall);
  if (callNode) return layerCall(b, callNode.children, callNode);
  return undefined;
}

export function repeatLayer(b: BuildContext, ctx: cst.RepeatLayerCstChildren, node?: CstNode): ast.RepeatLayers {
  const count = expressionOr(b, first(ctx.expression), b.after(first(ctx.Repeat)));
  return b.flagged(node, {
    kind: 'RepeatLayers',
    count,
    layers: layersOf(b, first(ctx.layerBlock)),
    range: b.range(b.spanOf(node, count.range.start.offset, count)),
  });
}

export function layerCall(b: BuildContext, ctx: cst.LayerCallCstChildren, node?: CstNode): ast.LayerCall {
  const call = callOr(b, first(ctx.call), cstSpan(node)?.start ?? 0);
  const aliasNode = first(ctx.name);
  const alias = aliasNode ? name(b, aliasNode.children, b.after(first(ctx.As))) : undefined;
  const range = b.range(b.spanOf(node, call.range.start.offset, call, alias));
  // Literals with the optional keys assigned, not spread (the key order is the same): an object
  // spread after a literal's first key is a call into V8's runtime, once a layer of a megabyte.
  const built: ast.LayerCall = alias ? { kind: 'LayerCall', call, alias, range } : { kind: 'LayerCall', call, range };
  if (node?.recoveredNode) built.recovered = true;
  return built;
}

export function callOr(b: BuildContext, node: cst.CallCstNode | undefined, fallback: number): ast.Call {
  if (node) return call(b, node.children, node);
  const callee: ast.NameRef = { kind: 'NameRef', name: '', range: b.range({ start: fallback, end: fallback }), recovered: true };
  return { kind: 'Call', callee, args: [], hasParens: false, range: callee.range, recovered: true };
}

export function call(b: BuildContext, ctx: cst.CallCstChildren, node?: CstNode): ast.Call {
  // Nearly every call is one name: no filtered copy of its one token.
  const identifiers = ctx.Identifier ?? [];
  const parts = identifiers.length === 1 && isRealToken(identifiers[0]) ? identifiers : identifiers.filter(isRealToken);
  const fallback = cstSpan(node)?.start ?? 0;
  let callee: ast.NameRef | ast.MemberAccess = parts[0]
    ? { kind: 'NameRef', name: parts[0].image, range: b.range(tokenSpan(parts[0])) }
    : { kind: 'NameRef', name: '', range: b.range({ start: fallback, end: fallback }), recovered: true };
  for (let index = 1; index < parts.length; index++) {
    const member = b.identifierFromToken(parts[index], 0);
    callee = { kind: 'MemberAccess', object: callee, member, range: b.range({ start: callee.range.start.offset, end: member.range.end.offset }) };
  }
  const listNode = first(ctx.argumentList);
  const args = listNode ? argumentList(b, listNode.children, listNode) : [];
  const built: ast.Call = { kind: 'Call', callee, args, hasParens: listNode !== undefined, range: b.range(b.spanOf(node, callee.range.start.offset, callee)) };
  if (node?.recoveredNode) built.recovered = true;
  return built;
}

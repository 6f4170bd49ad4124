// Builds model members (input, corrupt, encoder, latent, decoder/mirror, output, head, loss); `train` is in train.ts.
import type { CstNode } from 'chevrotain';
import type * as ast from '../ast.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import type * as cst from '../cst.js';
import type { TokenTape } from '../token-tape.js';
import { cstSpan, first, isRealToken, tokenSpan } from '../syntax-helpers.js';
import { expectColon, expectEquals } from './checks.js';
import { exactly, type BuildContext, type Span } from './context.js';
import { argumentList, expressionOr } from './expressions.js';
import { call, callOr, layersOf, plainArguments, plainCall, plainIdentifier, plainLayerBlock, plainValue } from './layers.js';
import { nameOr, reference } from './names.js';
import { trainMember } from './train.js';
import { labelType, tableType, tensorType } from './types.js';
import * as t from '../tokens.js';

const memberKeywords = ['input', 'corrupt', 'encoder', 'latent', 'decoder', 'output', 'head', 'loss', 'train'];

export function member(b: BuildContext, ctx: cst.MemberCstChildren): ast.ModelMember | undefined {
  // The member's one child: its first key, read without building every entry as an array.
  let key: string | undefined;
  for (key in ctx) break;
  const node = key === undefined ? undefined : (ctx as Record<string, CstNode[] | undefined>)[key]?.[0];
  if (!key || !node) return undefined;
  switch (key) {
    case 'inputMember': return inputMember(b, node.children as cst.InputMemberCstChildren, node);
    case 'corruptMember': return corruptMember(b, node.children as cst.CorruptMemberCstChildren, node);
    case 'encoderMember': return encoderMember(b, node.children as cst.EncoderMemberCstChildren, node);
    case 'latentMember': return latentMember(b, node.children as cst.LatentMemberCstChildren, node);
    case 'decoderMember': return decoderMember(b, node.children as cst.DecoderMemberCstChildren, node);
    case 'outputMember': return outputMember(b, node.children as cst.OutputMemberCstChildren, node);
    case 'headMember': return headMember(b, node.children as cst.HeadMemberCstChildren, node);
    case 'lossMember': return lossMember(b, node.children as cst.LossMemberCstChildren, node);
    case 'trainMember': return trainMember(b, node.children as cst.TrainMemberCstChildren, node);
    case 'unknownMember': return unknownMember(b, node.children as cst.UnknownMemberCstChildren);
    default: return undefined;
  }
}

/** A member's CST node that stands for a tree built from its tokens (`plainMember`). */
export type MemberNodeBuiltAhead = cst.MemberCstNode & { builtAhead?: ast.ModelMember };

/**
 * The tree of a plain member (AeParser.plainMemberLength), tokens `from` up to `to` (exclusive) of
 * the tape: `latent name = f`, `output name = f` (`f` a name or a plain call), `loss = f(...)`,
 * `decoder = mirror(source, ...)`, `input name: [dims] in [low, high]`, `input name: label(n)`, or
 * `encoder { ... }` / `decoder { ... }` with plain layers.
 * It is the tree `member` builds from the CST the grammar makes of those tokens (key order, ranges,
 * no diagnostic), made without that CST; returned as the member's node in its model's CST.
 */
export function plainMember(b: BuildContext, tape: TokenTape, from: number, to: number): cst.MemberCstNode {
  const built = plainMemberTree(b, tape, from, to);
  const node = { name: 'member', children: {}, location: { startOffset: tape.start(from), endOffset: tape.end(to - 1) - 1 } } as MemberNodeBuiltAhead;
  node.builtAhead = built;
  return node;
}

/** The tree of a plain member (see `plainMember`), without a CST node around it. */
export function plainMemberTree(b: BuildContext, tape: TokenTape, from: number, to: number): ast.ModelMember {
  const start = tape.start(from);
  const end = tape.end(to - 1);
  const kind = tape.type(from);
  if (kind === t.Input) return plainInput(b, tape, from, to, start, end);
  if (kind === t.Encoder) {
    const keywordRange = b.tokenAt(tape, from);
    return { kind: 'EncoderMember', keyword: keywordRange, layers: plainLayerBlock(b, tape, from + 1, to - 1), range: b.between(start, end) };
  }
  if (kind === t.Decoder) {
    const keywordRange = b.tokenAt(tape, from);
    if (tape.type(from + 1) === t.LCurly) {
      const range = b.between(start, end);
      return { kind: 'DecoderMember', keyword: keywordRange, range, layers: plainLayerBlock(b, tape, from + 1, to - 1) };
    }
    // `decoder = mirror(source` …: the mirror at from + 2, its source at from + 4.
    const source: ast.NameRef = { kind: 'NameRef', name: tape.image(from + 4), range: b.tokenAt(tape, from + 4) };
    const args = to - 1 > from + 5 ? plainArguments(b, tape, from + 6, to - 1) : [];
    return { kind: 'DecoderMember', keyword: keywordRange, range: b.between(start, end), mirror: { kind: 'MirrorSpec', source, args, range: b.between(tape.start(from + 2), end) } };
  }
  if (kind === t.Loss) {
    const value = plainCall(b, tape, from + 2, to);
    return { kind: 'LossMember', value, range: b.between(start, end) };
  }
  const name = plainIdentifier(b, tape, from + 1);
  const value = plainCall(b, tape, from + 3, to);
  return kind === t.Latent
    ? { kind: 'LatentMember', name, value, range: b.between(start, end) }
    : { kind: 'OutputMember', name, activation: value, range: b.between(start, end) };
}

/** `input name: [dims]`, `input name: [dims] in [low, high]` or `input name: label(n)` (see
 *  AeParser.plainInputEnd), as `inputMember` builds it. */
function plainInput(b: BuildContext, tape: TokenTape, from: number, to: number, start: number, end: number): ast.InputMember {
  const name = plainIdentifier(b, tape, from + 1);
  // The type begins at from + 3, after the name and its `:`.
  const typeStart = tape.start(from + 3);
  let type: ast.InputMember['type'];
  if (tape.type(from + 3) === t.LBracket) {
    let close = from + 4;
    while (tape.type(close) !== t.RBracket) close++;
    const dimensions = plainListElements(b, tape, from + 4, close);
    if (close + 1 < to) {
      const list = plainListElements(b, tape, close + 3, to - 1);
      const listRange = b.between(tape.start(close + 2), end);
      const valueRange = { low: list[0]!, high: list[1]!, range: listRange };
      type = { kind: 'TensorType', dimensions, valueRange, range: b.between(typeStart, end) };
    } else {
      type = { kind: 'TensorType', dimensions, range: b.between(typeStart, end) };
    }
  } else {
    const classes = plainValue(b, tape, from + 5);
    type = { kind: 'LabelType', classes, range: b.between(typeStart, end) };
  }
  return { kind: 'InputMember', name, type, range: b.between(start, end) };
}

/** The items of a plain list (AeParser.plainListEnd), the first the token at `from`, its `]` at
 *  `to`: each a plain value, optionally after a sign, as the grammar's expression of that operand
 *  builds it. */
function plainListElements(b: BuildContext, tape: TokenTape, from: number, to: number): ast.Expression[] {
  const elements: ast.Expression[] = [];
  // After each item comes its comma or the `]`.
  for (let index = from; index < to; index += 2) {
    const type = tape.type(index);
    if (type === t.Minus || type === t.Plus) {
      const sign = index;
      const operand = plainValue(b, tape, ++index);
      const range = b.between(tape.start(sign), operand.range.end.offset);
      elements.push({ kind: 'UnaryExpression', operator: tape.image(sign) as '-' | '+', operand, range });
    } else {
      elements.push(plainValue(b, tape, index));
    }
  }
  return exactly(elements);
}

/** Reported and left out of the tree: the checker never sees a member it cannot know. */
export function unknownMember(b: BuildContext, ctx: cst.UnknownMemberCstChildren): undefined {
  const word = first(ctx.Identifier);
  if (!isRealToken(word)) return undefined;
  const hint = didYouMean(word.image, memberKeywords);
  b.report('AE1023', `\`${word.image}\` is not a model member; members are ${memberKeywords.map((k) => `\`${k}\``).join(', ')}`, tokenSpan(word), {
    ...(hint ? { notes: [hint] } : {}),
  });
  return undefined;
}

export function inputMember(b: BuildContext, ctx: cst.InputMemberCstChildren, node?: CstNode): ast.InputMember {
  const name = nameOr(b, first(ctx.name), b.after(first(ctx.Input)));
  const binder = first(ctx.Binder);
  expectColon(b, binder);
  const tensorNode = first(ctx.tensorType);
  const labelNode = first(ctx.labelType);
  const tableNode = first(ctx.tableType);
  const fallback = b.after(first(ctx.Input), binder) || name.range.end.offset;
  const type: ast.InputMember['type'] = tensorNode
    ? tensorType(b, tensorNode.children, tensorNode)
    : tableNode
      ? tableType(b, tableNode.children, tableNode)
      : labelNode
        ? labelType(b, labelNode.children, labelNode)
        : { kind: 'TensorType', dimensions: [], range: b.range({ start: fallback, end: fallback }), recovered: true };
  return b.flagged(node, { kind: 'InputMember', name, type, range: b.range(b.spanOf(node, name.range.start.offset, name, type)) });
}

export function corruptMember(b: BuildContext, ctx: cst.CorruptMemberCstChildren, node?: CstNode): ast.CorruptMember {
  const target = nameOr(b, first(ctx.name), b.after(first(ctx.Corrupt)));
  const chain = (ctx.call ?? []).map((c) => call(b, c.children, c));
  return b.flagged(node, { kind: 'CorruptMember', target, chain, range: b.range(b.spanOf(node, target.range.start.offset, target)) });
}

export function encoderMember(b: BuildContext, ctx: cst.EncoderMemberCstChildren, node?: CstNode): ast.EncoderMember {
  const keyword = first(ctx.Encoder);
  const keywordSpan = isRealToken(keyword) ? tokenSpan(keyword) : { start: cstSpan(node)?.start ?? 0, end: cstSpan(node)?.start ?? 0 };
  const reads = readsOf(b, first(ctx.readsClause));
  return b.flagged(node, {
    kind: 'EncoderMember',
    keyword: b.range(keywordSpan),
    ...(reads ? { reads } : {}),
    layers: layersOf(b, first(ctx.layerBlock)),
    range: b.range(b.spanOf(node, keywordSpan.start)),
  });
}

export function decoderMember(b: BuildContext, ctx: cst.DecoderMemberCstChildren, node?: CstNode): ast.DecoderMember {
  const keyword = first(ctx.Decoder);
  const keywordSpan = isRealToken(keyword) ? tokenSpan(keyword) : { start: cstSpan(node)?.start ?? 0, end: cstSpan(node)?.start ?? 0 };
  const span = b.spanOf(node, keywordSpan.start);
  const reads = readsOf(b, first(ctx.readsClause));
  const base = { kind: 'DecoderMember' as const, keyword: b.range(keywordSpan), ...(reads ? { reads } : {}), range: b.range(span), ...b.recoveredFlag(node) };
  const layerBlock = first(ctx.layerBlock);
  if (layerBlock) return { ...base, layers: layersOf(b, layerBlock) };
  if (!first(ctx.Mirror)) return { ...base, layers: [], recovered: true };
  expectEquals(b, first(ctx.Binder), 'before `mirror`');
  return { ...base, mirror: mirrorSpec(b, ctx, span) };
}

/** The names of `on x, y`, or undefined without the clause. */
export function readsOf(b: BuildContext, node: cst.ReadsClauseCstNode | undefined): ast.NameRef[] | undefined {
  if (!node) return undefined;
  const onEnd = b.after(first(node.children.On));
  return (node.children.reference ?? []).map((r) => reference(b, r.children, onEnd));
}

/** `mirror(encoder, tied = true)`: the first positional argument names what is mirrored. */
function mirrorSpec(b: BuildContext, ctx: cst.DecoderMemberCstChildren, span: Span): ast.MirrorSpec {
  const mirrorToken = first(ctx.Mirror)!;
  const listNode = first(ctx.argumentList);
  const args = listNode ? argumentList(b, listNode.children, listNode) : [];
  const sourceIndex = args.findIndex((a) => a.name === undefined);
  const sourceArg = args[sourceIndex];
  const mirrorStart = isRealToken(mirrorToken) ? mirrorToken.startOffset : span.start;
  const specSpan = { start: mirrorStart, end: span.end };
  let source: ast.NameRef;
  if (sourceArg && sourceArg.value.kind === 'NameRef') {
    source = sourceArg.value;
  } else {
    const at = sourceArg?.range ?? b.range({ start: b.after(mirrorToken, first(listNode?.children.LParen)), end: b.after(mirrorToken, first(listNode?.children.LParen)) });
    if (listNode && !listNode.recoveredNode) {
      b.diagnostics.push(
        diagnostic('AE1020', '`mirror` needs the part it mirrors as its first argument: `mirror(encoder)`', sourceArg?.range ?? b.range(specSpan)),
      );
    }
    source = { kind: 'NameRef', name: '', range: at, recovered: true };
  }
  return {
    kind: 'MirrorSpec',
    source,
    args: args.filter((_, i) => i !== sourceIndex),
    range: b.range(specSpan),
  };
}

export function latentMember(b: BuildContext, ctx: cst.LatentMemberCstChildren, node?: CstNode): ast.LatentMember {
  const name = nameOr(b, first(ctx.name), b.after(first(ctx.Latent)));
  const binder = first(ctx.Binder);
  expectEquals(b, binder, 'after the latent name');
  const value = callOr(b, first(ctx.call), b.after(first(ctx.Latent), binder) || name.range.end.offset);
  return b.flagged(node, { kind: 'LatentMember', name, value, range: b.range(b.spanOf(node, name.range.start.offset, name, value)) });
}

export function outputMember(b: BuildContext, ctx: cst.OutputMemberCstChildren, node?: CstNode): ast.OutputMember {
  const name = nameOr(b, first(ctx.name), b.after(first(ctx.Output)));
  const binder = first(ctx.Binder);
  expectEquals(b, binder, 'after the output name');
  const activation = callOr(b, first(ctx.call), b.after(first(ctx.Output), binder) || name.range.end.offset);
  return b.flagged(node, {
    kind: 'OutputMember',
    name,
    activation,
    range: b.range(b.spanOf(node, name.range.start.offset, name, activation)),
  });
}

export function headMember(b: BuildContext, ctx: cst.HeadMemberCstChildren, node?: CstNode): ast.HeadMember {
  const name = nameOr(b, first(ctx.name), b.after(first(ctx.Head)));
  const referenceNode = first(ctx.reference);
  const onEnd = b.after(first(ctx.On)) || name.range.end.offset;
  const on: ast.NameRef = referenceNode
    ? reference(b, referenceNode.children, onEnd)
    : { kind: 'NameRef', name: '', range: b.range({ start: onEnd, end: onEnd }), recovered: true };
  return b.flagged(node, {
    kind: 'HeadMember',
    name,
    on,
    layers: layersOf(b, first(ctx.layerBlock)),
    range: b.range(b.spanOf(node, name.range.start.offset, name)),
  });
}

export function lossMember(b: BuildContext, ctx: cst.LossMemberCstChildren, node?: CstNode): ast.LossMember {
  const binder = first(ctx.Binder);
  expectEquals(b, binder, 'after `loss`');
  const value = expressionOr(b, first(ctx.expression), b.after(first(ctx.Loss), binder));
  return b.flagged(node, { kind: 'LossMember', value, range: b.range(b.spanOf(node, value.range.start.offset, value)) });
}

// Builds an input's type: a tensor type `[dims] in [low, high]`, `label(classes)` or `table(columns)`.
import type { CstNode } from 'chevrotain';
import type * as ast from '../ast.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import type * as cst from '../cst.js';
import { cstSpan, first, isRealToken, tokenSpan } from '../syntax-helpers.js';
import type { BuildContext } from './context.js';
import { expressionOr, listExpression } from './expressions.js';
import { call } from './layers.js';
import { nameOr } from './names.js';
import { expectColon } from './checks.js';
import type { IToken } from 'chevrotain';

/** `merchant: category(40)` is written with `:` (a `=` there is reported with its fix, as for inputs). */
function expectColonIfAny(b: BuildContext, binder: IToken | undefined): void {
  if (binder) expectColon(b, binder);
}

export function tensorType(b: BuildContext, ctx: cst.TensorTypeCstChildren, node?: CstNode): ast.TensorType {
  const dimensionsNode = first(ctx.dimensions);
  const dimensions = dimensionsNode ? listExpression(b, dimensionsNode.children, dimensionsNode).elements : [];
  const rangeNode = first(ctx.valueRange);
  let valueRange: ast.TensorType['valueRange'];
  if (rangeNode) {
    const list = listExpression(b, rangeNode.children, rangeNode);
    const [low, high] = list.elements;
    if (list.elements.length !== 2 && !rangeNode.recoveredNode) {
      b.report('AE1018', `a value range has two bounds, \`in [low, high]\`; found ${list.elements.length}`, {
        start: list.range.start.offset,
        end: list.range.end.offset,
      });
    }
    const at = list.range.end.offset;
    valueRange = { low: low ?? b.missingExpression(at), high: high ?? b.missingExpression(at), range: list.range };
  } else if (first(ctx.In)) {
    const at = b.after(first(ctx.In));
    valueRange = { low: b.missingExpression(at), high: b.missingExpression(at), range: b.range({ start: at, end: at }) };
  }
  const fallback = cstSpan(node)?.start ?? 0;
  return b.flagged(node, {
    kind: 'TensorType',
    dimensions,
    ...(valueRange ? { valueRange } : {}),
    range: b.range(b.spanOf(node, fallback)),
  });
}

export function labelType(b: BuildContext, ctx: cst.LabelTypeCstChildren, node?: CstNode): ast.LabelType {
  const word = first(ctx.labelWord);
  if (isRealToken(word) && word.image !== 'label') {
    const hint = didYouMean(word.image, ['label']);
    b.report('AE1019', `unknown type \`${word.image}\`: an input's type is \`[dimensions]\` or \`label(classes)\``, tokenSpan(word), {
      ...(hint ? { notes: [hint] } : {}),
    });
  }
  const classes = expressionOr(b, first(ctx.expression), b.after(word, first(ctx.LParen)));
  return b.flagged(node, { kind: 'LabelType', classes, range: b.range(b.spanOf(node, classes.range.start.offset, classes)) });
}

export function tableType(b: BuildContext, ctx: cst.TableTypeCstChildren, node?: CstNode): ast.TableType {
  const columns = (ctx.tableColumn ?? []).map((c) => tableColumn(b, c.children, c));
  const fallback = cstSpan(node)?.start ?? 0;
  return b.flagged(node, { kind: 'TableType', columns, range: b.range(b.spanOf(node, fallback)) });
}

export function tableColumn(b: BuildContext, ctx: cst.TableColumnCstChildren, node?: CstNode): ast.TableColumn {
  const name = nameOr(b, first(ctx.name), cstSpan(node)?.start ?? 0);
  expectColonIfAny(b, first(ctx.Binder));
  const categoryNode = first(ctx.call);
  const category = categoryNode ? call(b, categoryNode.children, categoryNode) : undefined;
  return b.flagged(node, { kind: 'TableColumn', name, ...(category ? { category } : {}), range: b.range(b.spanOf(node, name.range.start.offset, name)) });
}

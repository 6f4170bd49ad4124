// Builds `train` phases: their settings, the shorthand `early_stop(patience = 3)`, and the one `loss` a phase may have.
import type { CstNode } from 'chevrotain';
import type * as ast from '../ast.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import type * as cst from '../cst.js';
import { cstSpan, first } from '../syntax-helpers.js';
import { expectEquals } from './checks.js';
import type { BuildContext } from './context.js';
import { argumentList, expressionOr } from './expressions.js';
import { name as buildName, nameOr } from './names.js';

export function trainMember(b: BuildContext, ctx: cst.TrainMemberCstChildren, node?: CstNode): ast.TrainMember {
  const nameNode = first(ctx.name);
  const name = nameNode ? buildName(b, nameNode.children, b.after(first(ctx.Train))) : undefined;
  const settings: ast.TrainSetting[] = [];
  let loss: ast.LossMember | undefined;
  for (const settingNode of ctx.trainSetting ?? []) {
    const built = trainSetting(b, settingNode.children, settingNode);
    if (built.kind === 'TrainSetting') {
      settings.push(built);
    } else if (loss) {
      b.diagnostics.push(
        diagnostic('AE1021', 'a phase has one `loss`; combine the terms with `+`', built.range, {
          related: [{ message: 'the first `loss` of this phase', range: loss.range }],
        }),
      );
    } else {
      loss = built;
    }
  }
  const start = b.after(first(ctx.Train));
  return b.flagged(node, {
    kind: 'TrainMember',
    ...(name ? { name } : {}),
    settings,
    ...(loss ? { loss } : {}),
    range: b.range(b.spanOf(node, start)),
  });
}

export function trainSetting(b: BuildContext, ctx: cst.TrainSettingCstChildren, node?: CstNode): ast.TrainSetting | ast.LossMember {
  const nameNode = first(ctx.name);
  const fallback = cstSpan(node)?.start ?? 0;
  const name = nameOr(b, nameNode, fallback, true);
  const listNode = first(ctx.argumentList);
  if (listNode) return shorthandSetting(b, name, listNode, node);
  const binder = first(ctx.Binder);
  const isLoss = first(nameNode?.children.Keyword)?.image === 'loss';
  expectEquals(b, binder, isLoss ? 'after `loss`' : `after the setting \`${name.name}\``);
  const value = expressionOr(b, first(ctx.expression), b.after(binder) || name.range.end.offset);
  const range = b.range(b.spanOf(node, name.range.start.offset, name, value));
  if (isLoss) return b.flagged(node, { kind: 'LossMember', value, range });
  return b.flagged(node, { kind: 'TrainSetting', name, value, range });
}

/** `early_stop(patience = 3)`: the value is the call itself, named like the setting. Whether
 *  the setting accepts that is the objective's business (compiler/objective/phases). */
function shorthandSetting(b: BuildContext, name: ast.Identifier, listNode: cst.ArgumentListCstNode, node?: CstNode): ast.TrainSetting {
  const args = argumentList(b, listNode.children, listNode);
  const span = b.spanOf(node, name.range.start.offset, name);
  const callee: ast.NameRef = { kind: 'NameRef', name: name.name, range: name.range, ...(name.recovered ? { recovered: true } : {}) };
  const value: ast.Call = { kind: 'Call', callee, args, hasParens: true, range: b.range(span) };
  return b.flagged(node, { kind: 'TrainSetting', name, value, shorthand: true, range: b.range(span) });
}

// What the model's objectives use, read from the source and from the lowered terms: the loss
// expressions of the model and of every phase, the calls in them, and the names they mention.
import type { Call, Expression, LossMember } from '../../grammar/ast.js';
import type { CheckedModel } from '../check/model.js';
import type { TextEdit as Edit } from '../../diagnostics/diagnostic.js';
import type { IRTerm } from '../../ir/types.js';
import type { LintContext } from './rule.js';

export function lossExpressions(model: CheckedModel): Expression[] {
  const expressions: Expression[] = [];
  for (const member of model.decl.members) {
    if (member.kind === 'LossMember') expressions.push(member.value);
    if (member.kind === 'TrainMember') {
      const local = member.loss?.value ?? member.settings.find((s) => s.name.name === 'loss' && !s.shorthand)?.value;
      if (local) expressions.push(local);
    }
  }
  return expressions;
}

/** Every sub-expression, depth first (calls, their arguments, operands, list elements). An array,
 *  not a generator: resuming nested generators was most of what the lints cost a small model. */
export function walk(expr: Expression, into: Expression[] = []): Expression[] {
  into.push(expr);
  switch (expr.kind) {
    case 'Call': for (const a of expr.args) walk(a.value, into); break;
    case 'BinaryExpression': walk(expr.left, into); walk(expr.right, into); break;
    case 'UnaryExpression': walk(expr.operand, into); break;
    case 'ParenExpression': walk(expr.expression, into); break;
    case 'ListExpression': for (const e of expr.elements) walk(e, into); break;
    case 'MemberAccess': walk(expr.object, into); break;
    case 'IndexExpression': walk(expr.object, into); walk(expr.index, into); break;
  }
  return into;
}

/** Every sub-expression of every loss of the model, walked once per model: several lints ask. */
const lossWalks = new WeakMap<CheckedModel, readonly Expression[]>();

export function lossSubexpressions(model: CheckedModel): readonly Expression[] {
  let walked = lossWalks.get(model);
  if (walked === undefined) {
    const into: Expression[] = [];
    for (const e of lossExpressions(model)) walk(e, into);
    walked = into;
    lossWalks.set(model, walked);
  }
  return walked;
}

/** Loss calls named `fn` in any objective of the model. */
export function lossCalls(model: CheckedModel, fn: string): Call[] {
  // A loop, not filter with a closure: several lints ask, for every model of a file.
  const calls: Call[] = [];
  for (const e of lossSubexpressions(model)) if (e.kind === 'Call' && e.callee.kind === 'NameRef' && e.callee.name === fn) calls.push(e);
  return calls;
}

/** Names mentioned by any loss, any head's `on`, and any `freeze` list. */
export function usedNames(model: CheckedModel): Set<string> {
  const names = new Set<string>();
  for (const e of lossSubexpressions(model)) if (e.kind === 'NameRef') names.add(e.name);
  for (const member of model.decl.members) {
    if (member.kind === 'HeadMember') names.add(member.on.name);
    if (member.kind === 'TrainMember') {
      for (const s of member.settings) if (s.name.name === 'freeze') for (const e of walk(s.value)) if (e.kind === 'NameRef') names.add(e.name);
    }
  }
  return names;
}

export function allTerms(context: LintContext): IRTerm[] {
  return [...context.objective, ...context.phases.flatMap((p) => p.objective)];
}

/** The loss functions any objective uses: from the lowered terms, and from the source calls too,
 *  so that a term that failed to lower (an error elsewhere) does not raise a second, false warning. */
export function usedLossFunctions(model: CheckedModel, context: LintContext): Set<string> {
  const used = new Set<string>(allTerms(context).map((t) => t.fn));
  for (const e of lossSubexpressions(model)) {
    if (e.kind === 'Call' && e.callee.kind === 'NameRef') used.add(e.callee.name);
  }
  return used;
}

/** An edit appending ` + text` to the model's loss, when it has one. */
export function appendToLoss(model: CheckedModel, text: string): Edit[] {
  const loss = model.decl.members.find((m): m is LossMember => m.kind === 'LossMember');
  if (!loss) return [];
  const end = loss.value.range.end;
  return [{ range: { start: end, end }, newText: ` + ${text}` }];
}

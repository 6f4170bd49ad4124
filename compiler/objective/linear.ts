// The loss as a weighted sum: `a + b`, `3 * f(..)`, `f(..) * 0.5`, `f(..) / 2`, `-f(..)` and
// parentheses distribute down to the loss calls; coefficients are constant arithmetic (numbers and
// `let` names through the checked model). A product or quotient of two terms, a constant added to
// the loss, or anything else non-linear is an error that says a loss is a weighted sum of terms.
import type { Argument, Expression, SourceRange } from '../../grammar/ast.js';
import type { IRSchedule } from '../../ir/types.js';
import { isScheduleConstant, isScheduleName } from '../resolve/schedules.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { message } from '../../diagnostics/message.js';
import { isLossName, lossNames, type LossName } from './builtins.js';
import type { TermContext } from './terms.js';
import { unknownWord } from './values.js';
import { writtenName } from '../resolve/written.js';

/** One loss call with the coefficient it is multiplied by. */
export interface WeightedCall {
  /** The coefficient; with a schedule, the value the schedule reaches (its `to`). */
  weight: number;
  schedule?: IRSchedule;
  fn: LossName;
  args: readonly Argument[];
  range: SourceRange;
  calleeRange: SourceRange;
}

/** `constant + Σ weight·call`; undefined once an error was reported (or the text was recovered).
 *  A coefficient on its own (no calls) may be a `schedule` instead of the `constant` (then 0). */
export interface LinearForm {
  constant: number;
  schedule?: IRSchedule;
  calls: WeightedCall[];
}

const WEIGHTED_SUM = 'a loss is a weighted sum of terms, e.g. `mse(x_hat, x) + 0.1 * l1(z)`';

export function linearize(expr: Expression, context: TermContext): LinearForm | undefined {
  switch (expr.kind) {
    case 'ParenExpression':
      return linearize(expr.expression, context);
    case 'UnaryExpression': {
      const operand = linearize(expr.operand, context);
      return operand && (expr.operator === '-' ? scale(operand, -1) : operand);
    }
    case 'BinaryExpression':
      return linearizeBinary(expr.operator, expr.left, expr.right, context);
    case 'Call':
      if (expr.callee.kind === 'NameRef' && isScheduleName(expr.callee.name)) return scheduleCall(expr, context);
      if (expr.callee.kind === 'NameRef' && isLossName(expr.callee.name)) {
        return { constant: 0, calls: [{ weight: 1, fn: expr.callee.name, args: expr.args, range: expr.range, calleeRange: expr.callee.range }] };
      }
      return constantOr(expr, context, () => {
        const name = expr.callee.kind === 'NameRef' ? expr.callee.name : expr.callee.member.name;
        return unknownWord('AE4001', `unknown loss function \`${name}\``, name, expr.callee.range, lossNames, [
          `loss functions: ${lossNames.join(', ')}`,
        ]);
      });
    case 'NameRef':
      if (isLossName(expr.name)) {
        return { constant: 0, calls: [{ weight: 1, fn: expr.name, args: [], range: expr.range, calleeRange: expr.range }] };
      }
      if (context.model.fromFailedImport?.(expr.name, false) && !context.model.tensors.has(expr.name)) return undefined;
      if (!context.model.tensors.has(expr.name) && context.model.constantNames?.includes(expr.name)) return constantWeight(expr.name, expr, context);
      return constantOr(expr, context, () =>
        context.model.tensors.has(expr.name)
          ? diagnostic('AE4004', message('AE4004', { reason: `\`${expr.name}\` is a tensor, not a loss term` }), expr.range, { notes: [WEIGHTED_SUM] })
          : unknownWord('AE2001', message('AE2001', { kind: 'name', name: expr.name }), expr.name, expr.range, [...(context.model.constantNames ?? []), ...lossNames, ...context.model.tensors.keys()]),
      );
    case 'MissingExpression':
      return undefined;
    case 'MemberAccess':
      if (expr.object.kind === 'NameRef' && context.model.fromFailedImport?.(expr.object.name, true)) return undefined;
      return constantOr(expr, context, () =>
        diagnostic('AE2010', message('AE2010', { what: `\`${writtenName(expr)}\``, reason: 'a coefficient is a number, a `let` constant, or an imported one (`lib.beta`)' }), expr.range),
      );
    default:
      return constantOr(expr, context, () =>
        diagnostic('AE4004', message('AE4004', { reason: 'this is neither a loss term nor a constant coefficient' }), expr.range, { notes: [WEIGHTED_SUM] }),
      );
  }
}

/** `ramp(...)`/`cyclic(...)` written in the loss: its argument errors are the objective's to report. */
function scheduleCall(expr: Expression, context: TermContext): LinearForm | undefined {
  if (expr.recovered) return undefined;
  const evaluated = context.model.evaluateCoefficient?.(expr) ?? { value: context.model.evaluateConstant(expr), diagnostics: [] };
  context.diagnostics.push(...evaluated.diagnostics);
  return isScheduleConstant(evaluated.value) ? { constant: 0, schedule: evaluated.value.schedule, calls: [] } : undefined;
}

function constantOr(expr: Expression, context: TermContext, report: () => ReturnType<typeof diagnostic>): LinearForm | undefined {
  if (expr.recovered) return undefined;
  const value = context.model.evaluateConstant(expr);
  if (typeof value === 'number' && Number.isFinite(value)) return { constant: value, calls: [] };
  if (isScheduleConstant(value)) return { constant: 0, schedule: value.schedule, calls: [] };
  // A let whose own value failed was reported at the let; its use is no second error.
  if (value === undefined && expr.kind === 'NameRef' && context.model.constantNames?.includes(expr.name)) return undefined;
  context.diagnostics.push(report());
  return undefined;
}

/** A `let` used as a coefficient: its number or schedule; nothing when the let is in error (reported at the
 *  let); AE2014 naming what it holds otherwise (`let h = tanh` then `h * l1(z)` was "unknown name
 *  `h`", with a did-you-mean to another constant). */
function constantWeight(name: string, expr: Expression, context: TermContext): LinearForm | undefined {
  const value = context.model.evaluateConstant(expr);
  if (typeof value === 'number' && Number.isFinite(value)) return { constant: value, calls: [] };
  if (isScheduleConstant(value)) return { constant: 0, schedule: value.schedule, calls: [] };
  if (value === undefined) return undefined;
  const holds = typeof value === 'string' ? `the activation \`${value}\`` : Array.isArray(value) ? 'a list' : `\`${String(value)}\``;
  context.diagnostics.push(
    diagnostic('AE2014', message('AE2014', { what: `\`${name}\`, a loss weight,`, expected: `a number, but it holds ${holds}` }), expr.range, { notes: [WEIGHTED_SUM] }),
  );
  return undefined;
}

/** The schedule `a + b·s`, a schedule again (its ends move; its timing does not). */
function affine(schedule: IRSchedule, factor: number, offset = 0): IRSchedule {
  return { ...schedule, from: offset + schedule.from * factor, to: offset + schedule.to * factor };
}

function scale(form: LinearForm, factor: number): LinearForm {
  return {
    constant: form.constant * factor,
    ...(form.schedule ? { schedule: affine(form.schedule, factor) } : {}),
    calls: form.calls.map((c) => ({ ...c, weight: c.weight * factor, ...(c.schedule ? { schedule: affine(c.schedule, factor) } : {}) })),
  };
}

/** The calls of `form` multiplied by the schedule `schedule` (form has no schedule of its own). */
function scheduled(form: LinearForm, schedule: IRSchedule): LinearForm {
  const times = (weight: number) => affine(schedule, weight);
  return {
    constant: 0,
    ...(form.calls.length === 0 ? { schedule: times(form.constant) } : {}),
    calls: form.calls.map((c) => ({ ...c, schedule: times(c.weight), weight: times(c.weight).to })),
  };
}

const hasSchedule = (form: LinearForm) => form.schedule !== undefined || form.calls.some((c) => c.schedule !== undefined);

/** Every number a form holds, for the finiteness check. */
function numbersOf(form: LinearForm): number[] {
  const ends = (s: IRSchedule | undefined) => (s ? [s.from, s.to] : []);
  return [form.constant, ...ends(form.schedule), ...form.calls.flatMap((c) => [c.weight, ...ends(c.schedule)])];
}

function linearizeBinary(operator: string, left: Expression, right: Expression, context: TermContext): LinearForm | undefined {
  const form = combine(operator, left, right, context);
  // Each factor may be finite and their product not (`1e308 * 10 * l1(h)`): refused here, at the
  // expression, so no infinite weight reaches the IR.
  if (form && !numbersOf(form).every(Number.isFinite)) {
    const range = { start: left.range.start, end: right.range.end };
    context.diagnostics.push(diagnostic('AE2023', message('AE2023', { what: 'coefficient', value: 'infinite' }), range));
    return undefined;
  }
  return form;
}

function combine(operator: string, left: Expression, right: Expression, context: TermContext): LinearForm | undefined {
  const a = linearize(left, context);
  const b = linearize(right, context);
  if (!a || !b) return undefined;
  if (operator === '+' || operator === '-') {
    const sign = operator === '-' ? -1 : 1;
    for (const [form, side] of [[a, left], [b, right]] as const) {
      const other = form === a ? b : a;
      if (form.calls.length === 0 && (form.constant !== 0 || form.schedule) && other.calls.length > 0) {
        const what = form.schedule ? 'a schedule' : 'a constant';
        context.diagnostics.push(
          diagnostic('AE4004', message('AE4004', { reason: `${what} added to it changes nothing that is trained` }), side.range, {
            notes: [WEIGHTED_SUM, form.schedule ? 'a schedule multiplies a term: `ramp(0, 1, epochs = 10) * kl(z)`' : 'remove it'],
          }),
        );
        return undefined;
      }
    }
    const signed = scale(b, sign);
    if (a.schedule && signed.schedule) {
      context.diagnostics.push(diagnostic('AE4004', message('AE4004', { reason: 'two schedules added together are not one schedule' }), right.range, { notes: [WEIGHTED_SUM] }));
      return undefined;
    }
    const sum: LinearForm = { constant: a.constant + signed.constant, calls: [...a.calls, ...signed.calls] };
    const schedule = a.schedule ?? signed.schedule;
    // `1 + ramp(0, 1, ...)`: the constant moves the schedule's ends.
    return schedule ? { constant: 0, schedule: affine(schedule, 1, sum.constant), calls: sum.calls } : sum;
  }
  if (operator === '*') {
    if (hasSchedule(a) && hasSchedule(b)) {
      context.diagnostics.push(diagnostic('AE4004', message('AE4004', { reason: 'a product of two schedules is not a schedule' }), right.range, { notes: [WEIGHTED_SUM] }));
      return undefined;
    }
    if (a.calls.length === 0) return a.schedule ? scheduled(b, a.schedule) : scale(b, a.constant);
    if (b.calls.length === 0) return b.schedule ? scheduled(a, b.schedule) : scale(a, b.constant);
    context.diagnostics.push(
      diagnostic('AE4004', message('AE4004', { reason: 'a loss term can be multiplied only by a constant, not by another term' }), right.range, { notes: [WEIGHTED_SUM] }),
    );
    return undefined;
  }
  if (b.calls.length > 0 || b.schedule) {
    const by = b.schedule ? 'a schedule' : 'a term';
    context.diagnostics.push(diagnostic('AE4004', message('AE4004', { reason: `a loss can be divided only by a constant, not by ${by}` }), right.range, { notes: [WEIGHTED_SUM] }));
    return undefined;
  }
  if (b.constant === 0) {
    context.diagnostics.push(diagnostic('AE4004', message('AE4004', { reason: 'a coefficient divides by zero' }), right.range));
    return undefined;
  }
  return scale(a, 1 / b.constant);
}

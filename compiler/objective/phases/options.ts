// Binding the arguments of a setting's call (`adam(lr = 1e-3)`, `mnist(split = "test")`) to a
// declared option list: positional in order, then named; unknown options get did-you-mean, values
// are checked against their kind. Every data source, optimizer and schedule is one such list.
import type { Argument, Expression, SourceRange } from '../../../grammar/ast.js';
import type { CheckedModel } from '../../check/model.js';
import { diagnostic, type Diagnostic } from '../../../diagnostics/diagnostic.js';
import { message } from '../../../diagnostics/message.js';
import { constantNumber, unknownWord } from '../values.js';

export type OptionValue = number | string | boolean;

export interface OptionSpec {
  name: string;
  kind: 'number' | 'string' | 'boolean';
  /** Undefined: optional without a default. `required`: must be given. */
  default?: OptionValue | 'required';
  /** What the value must be ("greater than 0", AE4102's `{expected}`), or undefined when it is fine. */
  check?: (value: number) => string | undefined;
  /** Words accepted for a string option (written bare or quoted). */
  words?: readonly string[];
}

export interface SettingContext {
  model: CheckedModel;
  diagnostics: Diagnostic[];
}

/** A setting value as a call: `adam(lr = 1e-3)`, or a bare `adam` meaning `adam()`. */
export interface CallLike {
  name: string;
  nameRange: SourceRange;
  args: readonly Argument[];
  range: SourceRange;
}

export function asCall(expr: Expression): CallLike | undefined {
  if (expr.kind === 'NameRef') return { name: expr.name, nameRange: expr.range, args: [], range: expr.range };
  if (expr.kind === 'Call' && expr.callee.kind === 'NameRef') {
    return { name: expr.callee.name, nameRange: expr.callee.range, args: expr.args, range: expr.range };
  }
  return undefined;
}

export const positive = (v: number) => (v > 0 ? undefined : 'greater than 0');
export const nonNegative = (v: number) => (v >= 0 ? undefined : 'at least 0');
export const fraction = (v: number) => (v >= 0 && v < 1 ? undefined : 'in [0, 1)');
export const positiveInteger = (v: number) => (Number.isInteger(v) && v > 0 ? undefined : 'a positive integer');
export const nonNegativeInteger = (v: number) => (Number.isInteger(v) && v >= 0 ? undefined : 'a non-negative integer');

/** The bound options, or undefined after reporting an error. */
export function bindOptions(call: CallLike, specs: readonly OptionSpec[], context: SettingContext): Record<string, OptionValue> | undefined {
  const before = context.diagnostics.length;
  const given = new Map<string, Argument>();
  call.args.forEach((argument, index) => {
    if (argument.name === undefined) {
      const spec = specs[index];
      if (spec) given.set(spec.name, argument);
      else context.diagnostics.push(diagnostic('AE4106', message('AE4106', { owner: call.name, option: `argument ${index + 1} (it takes at most ${specs.length})` }), argument.range));
      return;
    }
    const key = argument.name.name;
    if (specs.some((s) => s.name === key)) given.set(key, argument);
    else {
      context.diagnostics.push(
        unknownWord('AE4106', message('AE4106', { owner: call.name, option: `option \`${key}\`` }), key, argument.name.range, specs.map((s) => s.name), [
          specs.length ? `\`${call.name}\` accepts ${specs.map((s) => `\`${s.name}\``).join(', ')}` : `\`${call.name}\` takes no options`,
        ]),
      );
    }
  });
  const values: Record<string, OptionValue> = {};
  for (const spec of specs) {
    const argument = given.get(spec.name);
    if (!argument) {
      if (spec.default === 'required') {
        context.diagnostics.push(diagnostic('AE4102', message('AE4102', { what: `\`${call.name}\` option \`${spec.name}\``, expected: 'given' }), call.range));
      } else if (spec.default !== undefined) values[spec.name] = spec.default;
      continue;
    }
    const value = bindValue(call.name, spec, argument.value, context);
    if (value !== undefined) values[spec.name] = value;
  }
  return context.diagnostics.length > before ? undefined : values;
}

function bindValue(owner: string, spec: OptionSpec, expr: Expression, context: SettingContext): OptionValue | undefined {
  if (expr.recovered) return undefined;
  if (spec.kind === 'boolean') {
    if (expr.kind === 'BooleanLiteral') return expr.value;
    context.diagnostics.push(diagnostic('AE4102', message('AE4102', { what: `\`${owner}\` option \`${spec.name}\``, expected: '`true` or `false`' }), expr.range));
    return undefined;
  }
  if (spec.kind === 'string') {
    const value = expr.kind === 'NameRef' && spec.words ? expr.name : context.model.evaluateConstant(expr);
    if (typeof value !== 'string') {
      context.diagnostics.push(diagnostic('AE4102', message('AE4102', { what: `\`${owner}\` option \`${spec.name}\``, expected: 'a string' }), expr.range));
      return undefined;
    }
    if (spec.words && !spec.words.includes(value)) {
      context.diagnostics.push(
        unknownWord('AE4102', message('AE4102', { what: `\`${owner}\` option \`${spec.name}\``, expected: `one of ${spec.words.map((w) => `"${w}"`).join(', ')}` }), value, expr.range, spec.words, [], (w) =>
          expr.kind === 'StringLiteral' ? JSON.stringify(w) : w,
        ),
      );
      return undefined;
    }
    return value;
  }
  const value = constantNumber(context.model, expr);
  const expected = value === undefined ? 'a constant number' : spec.check?.(value);
  if (expected === undefined) return value;
  context.diagnostics.push(diagnostic('AE4102', message('AE4102', { what: `\`${owner}\` option \`${spec.name}\``, expected }), expr.range));
  return undefined;
}

// Binds a call's arguments to an op's signature: positional in declaration order, then named;
// unknown names get did-you-mean, values are checked against the declared type, defaults fill in.
import type { Argument, Call, Expression } from '../../grammar/ast.js';
import type { Reporter } from '../../diagnostics/reporter.js';
import { message } from '../../diagnostics/message.js';
import type { ActivationSpec } from '../../ir/types.js';
import { dereference, type ConstantEvaluator } from '../resolve/evaluate.js';
import type { Env } from '../resolve/scope.js';
import { activationNames, activationSpec, DEFAULT_LEAKY_ALPHA, isActivation } from '../shapes/activations.js';
import { describeType, type ArgSpec, type ArgType, type ArgValue, type BoundArgs, type Signature } from '../shapes/signature.js';

export interface BindContext {
  evaluator: ConstantEvaluator;
  reporter: Reporter;
  env: Env;
}

/** The bound arguments, or undefined when one could not be bound (already reported). */
export function bindArguments(signature: Signature, call: Call, what: string, ctx: BindContext): BoundArgs | undefined {
  const file = ctx.env.scope.file;
  // The argument given for each of the signature's, by its index: an array, not a Map by name (a
  // Map per call, for every layer of every model).
  const given: (Argument | undefined)[] = [];
  let ok = true;
  let position = 0;
  // A misspelt name (`sigma =` for `std =`) is reported once, not again as a missing argument.
  let unknownNamed = false;
  for (const arg of call.args) {
    if (arg.name === undefined) {
      const spec = signature.args[position++];
      if (!spec) {
        const given = call.args.filter((a) => a.name === undefined).length;
        ctx.reporter.report('AE2006', arg, message('AE2006', { owner: what, expected: argumentCount(signature.args.length), actual: `gets ${given}` }), {
          file,
          notes: signature.args.length ? [`arguments: ${signature.args.map((a) => a.name).join(', ')}`] : [],
        });
        ok = false;
        continue;
      }
      given[position - 1] = arg;
      continue;
    }
    const name = arg.name.name;
    const index = signature.args.findIndex((a) => a.name === name);
    if (index < 0) {
      const missing = missingRequired(signature, call);
      ctx.reporter.unknown('AE2005', arg.name, message('AE2005', { owner: what, name }), name, signature.args.map((a) => a.name), {
        file,
        notes: [
          ...(signature.args.length ? [`arguments: ${signature.args.map((a) => a.name).join(', ')}`] : []),
          ...(missing.length ? [`${what} needs ${missing.map((a) => `\`${a}\``).join(' and ')}, which is not given`] : []),
        ],
      });
      ok = false;
      unknownNamed = true;
      continue;
    }
    const first = given[index];
    if (first) {
      ctx.reporter.report('AE2007', arg, message('AE2007', { name }), {
        file,
        related: [{ message: 'first given here', range: first.range, file }],
      });
      ok = false;
      continue;
    }
    given[index] = arg;
  }
  const bound: BoundArgs = {};
  for (let index = 0; index < signature.args.length; index++) {
    const spec = signature.args[index]!;
    const arg = given[index];
    if (!arg) {
      if (spec.optional) continue;
      if (spec.default === undefined) {
        ok = false;
        if (unknownNamed) continue;
        ctx.reporter.report('AE2006', call, message('AE2006', { owner: what, expected: `the argument \`${spec.name}\` (${describeType(spec.type)})`, actual: 'it is not given' }), { file });
        ok = false;
      } else {
        bound[spec.name] = spec.default;
      }
      continue;
    }
    const value = convertArgument(arg.value, spec, what, ctx);
    if (value === undefined) ok = false;
    else bound[spec.name] = value;
  }
  return ok ? bound : undefined;
}

/** How many positional arguments something takes, in words: "no arguments", "at most 2 arguments". */
export function argumentCount(count: number): string {
  return count === 0 ? 'no arguments' : `at most ${count} argument${count === 1 ? '' : 's'}`;
}

/** Required arguments neither given by name nor covered by a positional one. */
function missingRequired(signature: Signature, call: Call): string[] {
  const positional = call.args.filter((a) => a.name === undefined).length;
  const named = new Set(call.args.flatMap((a) => (a.name ? [a.name.name] : [])));
  return signature.args
    .filter((spec, index) => index >= positional && !named.has(spec.name) && spec.default === undefined && !spec.optional)
    .map((spec) => spec.name);
}

export function convertArgument(expr: Expression, spec: ArgSpec, what: string, ctx: BindContext): ArgValue | undefined {
  const type = spec.type;
  if (type.kind === 'activation') return activationOf(expr, ctx);
  if (type.kind === 'enum') return enumOf(expr, spec, type.values, what, ctx);
  const value = ctx.evaluator.evaluate(expr, ctx.env);
  if (value === undefined) return undefined;
  const file = ctx.env.scope.file;
  const wrong = () => {
    ctx.reporter.report('AE2014', expr, message('AE2014', { what: `\`${spec.name}\` of ${what}`, expected: describeType(type) }), { file });
    return undefined;
  };
  switch (type.kind) {
    case 'bool':
      return typeof value === 'boolean' ? value : wrong();
    case 'int':
      if (typeof value !== 'number') return wrong();
      return wholeNumber(value, expr, spec, type.min, what, ctx);
    case 'number': {
      if (typeof value !== 'number') return wrong();
      const below = type.min !== undefined && (type.minExclusive ? value <= type.min : value < type.min);
      const above = type.max !== undefined && (type.maxExclusive ? value >= type.max : value > type.max);
      if (below || above || !Number.isFinite(value)) {
        const low = type.min === undefined ? '' : `${type.minExclusive ? '>' : '≥'} ${type.min}`;
        const high = type.max === undefined ? '' : `${type.maxExclusive ? '<' : '≤'} ${type.max}`;
        ctx.reporter.report('AE2020', expr, message('AE2020', { what: `\`${spec.name}\` of ${what}`, expected: [low, high].filter(Boolean).join(' and '), value }), { file });
        return undefined;
      }
      return value;
    }
    case 'pair': {
      const items = typeof value === 'number' ? [value, value] : Array.isArray(value) && value.length === 2 ? value : undefined;
      if (!items || !items.every((v) => typeof v === 'number')) return wrong();
      const a = wholeNumber(items[0] as number, expr, spec, 1, what, ctx);
      const b = a === undefined ? undefined : wholeNumber(items[1] as number, expr, spec, 1, what, ctx);
      return a === undefined || b === undefined ? undefined : [a, b];
    }
    case 'dims': {
      if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'number')) return wrong();
      const dimsOk = (value as number[]).every((v) => Number.isInteger(v) && (v >= 1 || v === -1));
      if (!dimsOk || (value as number[]).filter((v) => v === -1).length > 1) {
        ctx.reporter.report('AE2020', expr, message('AE2020', { what: `\`${spec.name}\` of ${what}`, expected: 'whole sizes ≥ 1 (at most one -1)', value: `[${(value as number[]).join(', ')}]` }), { file });
        return undefined;
      }
      return value as number[];
    }
  }
}

function wholeNumber(value: number, expr: Expression, spec: ArgSpec, min: number, what: string, ctx: BindContext): number | undefined {
  const file = ctx.env.scope.file;
  if (!Number.isInteger(value)) {
    ctx.reporter.report('AE2015', expr, message('AE2015', { what: `\`${spec.name}\` of ${what}`, value: formatNumber(value) }), { file });
    return undefined;
  }
  if (value < min) {
    ctx.reporter.report('AE2020', expr, message('AE2020', { what: `\`${spec.name}\` of ${what}`, expected: `≥ ${min}`, value }), { file });
    return undefined;
  }
  return value;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

function enumOf(expr: Expression, spec: ArgSpec, values: readonly string[], what: string, ctx: BindContext): string | undefined {
  const target = dereference(expr, ctx.env);
  const file = ctx.env.scope.file;
  let word: string | undefined;
  if (target.expr.kind === 'NameRef') word = target.expr.name;
  else if (target.expr.kind === 'StringLiteral') word = target.expr.value;
  if (word !== undefined && values.includes(word)) return word;
  const shown = word ?? '';
  ctx.reporter.unknown('AE2019', expr, `\`${spec.name}\` of ${what} must be ${describeType(spec.type)}${word ? `, not \`${word}\`` : ''}`, shown, values, { file });
  return undefined;
}

/** `relu`, `leaky_relu`, `leaky_relu(0.1)`, `leaky_relu(alpha = 0.1)`, or a parameter bound to one. */
export function activationOf(expr: Expression, ctx: BindContext): ActivationSpec | undefined {
  const target = dereference(expr, ctx.env);
  const file = ctx.env.scope.file;
  const e = target.expr;
  if (e.kind === 'StringLiteral' && isActivation(e.value)) return activationSpec(e.value);
  if (e.kind === 'NameRef' && isActivation(e.name)) return activationSpec(e.name);
  if (e.kind === 'Call' && e.callee.kind === 'NameRef' && isActivation(e.callee.name)) {
    return activationCall(e, { ...ctx, env: target.env });
  }
  const name = e.kind === 'NameRef' ? e.name : e.kind === 'Call' && e.callee.kind === 'NameRef' ? e.callee.name : undefined;
  if (name !== undefined) {
    ctx.reporter.unknown('AE2004', e.kind === 'Call' ? e.callee : e, message('AE2004', { name }), name, activationNames, {
      file: target.env.scope.file,
      notes: [`activations: ${activationNames.join(', ')}`],
    });
  } else {
    ctx.reporter.report('AE2014', expr, message('AE2014', { what: 'this value', expected: 'an activation' }), { file, notes: [`activations: ${activationNames.join(', ')}`] });
  }
  return undefined;
}

const leakySignature: Signature = { name: 'leaky_relu', args: [{ name: 'alpha', type: { kind: 'number', min: 0 }, default: DEFAULT_LEAKY_ALPHA }] };

/** An activation written as a call: only leaky_relu takes an argument. */
export function activationCall(call: Call, ctx: BindContext): ActivationSpec | undefined {
  const fn = (call.callee as { name: string }).name;
  if (!isActivation(fn)) return undefined;
  if (fn === 'leaky_relu') {
    const bound = bindArguments(leakySignature, call, '`leaky_relu`', ctx);
    return bound ? { fn, alpha: bound.alpha as number } : undefined;
  }
  if (call.args.length > 0) {
    ctx.reporter.report('AE2006', call.args[0]!, message('AE2006', { owner: `\`${fn}\``, expected: argumentCount(0), actual: `gets ${call.args.length}` }), { file: ctx.env.scope.file });
    return undefined;
  }
  return { fn };
}

export type { ArgType };

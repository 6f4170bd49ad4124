// One loss call (`bce(x_hat, x, reduce = sum)`) → one IR term, after proving what section 10 asks
// of it: the arguments are tensors of agreeing shapes, bce targets lie in [0, 1], kl/vq_loss name
// the right kind of latent, contractive codes are differentiable from their input, and a head's
// class count matches its labels. Each error points at the offending argument.
import type { Argument, Expression, SourceRange } from '../../grammar/ast.js';
import type { CheckedModel, NamedTensor } from '../check/model.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { message } from '../../diagnostics/message.js';
import type { IRSchedule, IRTerm, Reduction } from '../../ir/types.js';
import { describeOption, fitsOption, lossTerm, type LossName, type LossTerm } from './builtins.js';
import type { TensorArgument } from './term-checks.js';
import { constantNumber, splitArguments, unknownWord, wordOf } from './values.js';

export interface TermContext {
  model: CheckedModel;
  diagnostics: Diagnostic[];
}

/** Lowers `weight * schedule * fn(args)`; undefined when an error was reported. */
export function lowerTermCall(
  fn: LossName,
  args: readonly Argument[],
  callRange: SourceRange,
  context: TermContext,
  weight = 1,
  schedule?: IRSchedule,
): IRTerm | undefined {
  const entry = lossTerm(fn);
  const { positional, named } = splitArguments(args);
  const errorsBefore = context.diagnostics.length;

  if (positional.length !== entry.tensors.length) {
    const extra = positional[entry.tensors.length];
    const list = entry.tensors.length === 0 ? 'no tensors' : `${entry.tensors.length} (${entry.tensors.join(', ')})`;
    context.diagnostics.push(
      diagnostic('AE4002', `\`${fn}\` takes ${list}, got ${positional.length}`, extra?.range ?? callRange, {
        notes: [`\`${fn}(${entry.tensors.join(', ')})\`: ${entry.doc}`],
      }),
    );
  }
  const { reduce, options } = lowerOptions(fn, entry, named, context);
  const tensors: TensorArgument[] = [];
  for (const argument of positional.slice(0, entry.tensors.length)) {
    const tensor = resolveTensor(argument.value, context);
    if (tensor) tensors.push({ tensor, range: argument.value.range });
  }
  if (context.diagnostics.length > errorsBefore || tensors.length !== entry.tensors.length) return undefined;

  const call = entry.ir({ tensors, reduce, options }, context);
  if (call === undefined) return undefined;
  // Assigned in the IR's key order: fn, weight, schedule, args, then the entry's options (its `args`
  // replacing the tensors' where it has them), then source. Built in that order, not spread into
  // place afterwards: an object rest and spread per term was a good part of lowering a small loss.
  const term = { fn, weight } as IRTerm;
  if (schedule) term.schedule = schedule;
  term.args = tensors.map((t) => t.tensor.nodeId);
  Object.assign(term, call);
  term.weight = weight;
  term.source = context.model.locate(callRange);
  return term;
}

/** `reduce` and the entry's numeric options, each from the call or its default. */
function lowerOptions(fn: LossName, entry: LossTerm<LossName>, named: readonly Argument[], context: TermContext) {
  let reduce: Reduction = entry.defaultReduce;
  // Keys by `in`, not entries mapped back into an object: once per term of every model.
  const options: Record<string, number> = {};
  for (const key in entry.options) options[key] = entry.options[key]!.default;
  for (const argument of named) {
    const key = argument.name!.name;
    const option = Object.hasOwn(entry.options, key) ? entry.options[key] : undefined;
    if (key === 'reduce') {
      const word = wordOf(argument.value);
      if (word === 'mean' || word === 'sum') reduce = word;
      else if (!argument.value.recovered) {
        context.diagnostics.push(
          unknownWord('AE4006', message('AE4006', { option: 'reduce', fn, expected: '`mean` or `sum`' }), word ?? '', argument.value.range, ['mean', 'sum']),
        );
      }
    } else if (option) {
      const value = constantNumber(context.model, argument.value);
      if (value === undefined || !fitsOption(option.type, value)) {
        context.diagnostics.push(
          diagnostic('AE4006', message('AE4006', { option: key, fn, expected: describeOption(option.type) }), argument.value.range, { notes: [option.doc] }),
        );
      } else options[key] = value;
    } else {
      const accepted = ['reduce', ...Object.keys(entry.options)];
      context.diagnostics.push(
        unknownWord('AE4003', `\`${fn}\` has no option \`${key}\``, key, argument.name!.range, accepted, [
          `\`${fn}\` accepts ${accepted.map((a) => `\`${a}\``).join(', ')}`,
        ]),
      );
    }
  }
  return { reduce, options };
}

/** A loss argument must name a tensor: an input, the latent, the output, an `as` name or a head. */
function resolveTensor(expr: Expression, context: TermContext): NamedTensor | undefined {
  if (expr.recovered) return undefined;
  const { tensors } = context.model;
  if (expr.kind !== 'NameRef') {
    context.diagnostics.push(
      diagnostic('AE4005', message('AE4005', { argument: 'a loss argument', expected: 'the name of a tensor', actual: `this is ${describeExpression(expr)}` }), expr.range, {
        notes: [`tensors here: ${[...tensors.keys()].map((n) => `\`${n}\``).join(', ')}`],
      }),
    );
    return undefined;
  }
  const tensor = tensors.get(expr.name);
  if (tensor) return tensor;
  context.diagnostics.push(
    unknownWord('AE2001', message('AE2001', { kind: 'tensor', name: expr.name }), expr.name, expr.range, tensors.keys(), [
      'a loss names inputs, the latent, the output, `as` names of layers and heads',
    ]),
  );
  return undefined;
}

/** What a loss argument that names no tensor is, in words. */
function describeExpression(expr: Expression): string {
  switch (expr.kind) {
    case 'NumberLiteral':
      return 'a number';
    case 'StringLiteral':
      return 'a string';
    case 'Call':
      return 'a call';
    case 'MemberAccess':
      return 'a member of an import';
    default:
      return 'an expression';
  }
}

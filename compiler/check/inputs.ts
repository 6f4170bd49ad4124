// Inputs (`[28, 28, 1] in [0, 1]`, `label(10)`) and their training-time corruptions.
import type { CorruptMember, Expression, InputMember } from '../../grammar/ast.js';
import type { IRInput, Shape } from '../../ir/types.js';
import { bindArguments } from './bind.js';
import { corruptionNames, corruptionOps } from '../shapes/corruptions.js';
import { bindContext, type ModelContext } from './context.js';
import { message } from '../../diagnostics/message.js';

export interface CheckedInputs {
  inputs: { decl: InputMember; ir: IRInput }[];
  reconstructed?: IRInput;
}

export function checkInputs(ctx: ModelContext, declared: readonly InputMember[]): CheckedInputs {
  const inputs: CheckedInputs['inputs'] = [];
  const seen = new Map<string, InputMember>();
  for (const decl of declared) {
    if (decl.recovered) continue;
    const first = seen.get(decl.name.name);
    if (first) {
      ctx.reporter.report('AE2002', decl.name, `input \`${decl.name.name}\` is declared twice`, {
        file: ctx.file,
        related: [{ message: 'first declared here', range: first.name.range }],
      });
      continue;
    }
    seen.set(decl.name.name, decl);
    const ir = inputType(ctx, decl);
    if (ir) inputs.push({ decl, ir });
  }
  const reconstructed = inputs.find((i) => i.ir.kind === 'tensor')?.ir;
  if (!reconstructed && declared.length > 0 && inputs.length === declared.length) {
    ctx.reporter.report('AE3012', ctx.decl.name, `model \`${ctx.decl.name.name}\` has no tensor input to reconstruct (only labels)`, { file: ctx.file });
  }
  return { inputs, ...(reconstructed ? { reconstructed } : {}) };
}

function inputType(ctx: ModelContext, decl: InputMember): IRInput | undefined {
  const type = decl.type;
  if (type.kind === 'LabelType') {
    const classes = wholeAtLeast(ctx, type.classes, 2, 'a label needs a whole number of classes ≥ 2');
    if (classes === undefined) return undefined;
    return { name: decl.name.name, kind: 'label', shape: [null], dtype: 'int32', classes };
  }
  const dims: number[] = [];
  for (const d of type.dimensions) {
    const value = wholeAtLeast(ctx, d, 1, 'a dimension must be a whole number ≥ 1');
    if (value === undefined) return undefined;
    dims.push(value);
  }
  if (dims.length === 0) {
    ctx.reporter.report('AE3008', type, 'an input needs at least one dimension', { file: ctx.file });
    return undefined;
  }
  let range: [number, number] | undefined;
  if (type.valueRange) {
    const low = ctx.evaluator.evaluate(type.valueRange.low, ctx.env);
    const high = ctx.evaluator.evaluate(type.valueRange.high, ctx.env);
    if (low === undefined || high === undefined) return undefined;
    if (typeof low !== 'number' || typeof high !== 'number' || !(low < high)) {
      ctx.reporter.report('AE3009', type.valueRange, 'a value range is `in [low, high]` with numbers low < high', { file: ctx.file });
      return undefined;
    }
    range = [low, high];
  }
  const shape: Shape = [null, ...dims];
  return { name: decl.name.name, kind: 'tensor', shape, dtype: 'float32', ...(range ? { range } : {}) };
}

function wholeAtLeast(ctx: ModelContext, expr: Expression, min: number, message: string): number | undefined {
  const value = ctx.evaluator.evaluate(expr, ctx.env);
  if (value === undefined) return undefined;
  if (typeof value !== 'number') {
    ctx.reporter.report('AE2014', expr, message, { file: ctx.file });
    return undefined;
  }
  if (!Number.isInteger(value)) {
    ctx.reporter.report('AE2015', expr, `${message}, but this is ${value}`, { file: ctx.file });
    return undefined;
  }
  if (value < min) {
    ctx.reporter.report('AE3008', expr, `${message}, got ${value}`, { file: ctx.file });
    return undefined;
  }
  return value;
}

/** Corruption chains as training-only nodes; returns, per input, the node the encoder reads. */
export function buildCorruptions(ctx: ModelContext, corruptions: readonly CorruptMember[], inputs: CheckedInputs): Map<string, string> {
  const entry = new Map<string, string>(inputs.inputs.map((i) => [i.ir.name, i.ir.name]));
  for (const member of corruptions) {
    if (member.recovered) continue;
    const target = inputs.inputs.find((i) => i.ir.name === member.target.name);
    if (!target) {
      ctx.reporter.unknown('AE2001', member.target, message('AE2001', { kind: 'input', name: member.target.name }), member.target.name, entry.keys(), { file: ctx.file });
      continue;
    }
    if (target.ir.kind === 'label') {
      ctx.reporter.report('AE3010', member.target, `cannot corrupt the label input \`${member.target.name}\``, {
        file: ctx.file,
        related: [{ message: 'declared here', range: target.decl.range }],
      });
      continue;
    }
    let current = entry.get(target.ir.name)!;
    member.chain.forEach((call, index) => {
      if (call.callee.kind !== 'NameRef') {
        ctx.reporter.report('AE2003', call.callee, 'a corruption is one of: ' + corruptionNames.join(', '), { file: ctx.file });
        return;
      }
      const name = call.callee.name;
      const op = Object.prototype.hasOwnProperty.call(corruptionOps, name) ? corruptionOps[name] : undefined;
      if (!op) {
        ctx.reporter.unknown('AE2003', call.callee, `unknown corruption \`${name}\``, name, corruptionNames, {
          file: ctx.file,
          notes: [`corruptions: ${corruptionNames.join(', ')}`],
        });
        return;
      }
      const args = bindArguments(op.signature, call, `\`${name}\``, bindContext(ctx));
      if (!args) return;
      const problem = op.check?.(args);
      if (problem) {
        ctx.reporter.report('AE3009', call, problem, { file: ctx.file });
        return;
      }
      current = ctx.graph.addNode({
        id: `corrupt.${target.ir.name}.${index}.${name}`,
        ir: op.ir(args),
        inputs: [current],
        shape: target.ir.shape,
        stage: 'corrupt',
        at: call,
        file: ctx.file,
      });
    });
    entry.set(target.ir.name, current);
  }
  return entry;
}

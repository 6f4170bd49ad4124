// Inputs (`[28, 28, 1] in [0, 1]`, `label(10)`) and their training-time corruptions.
import type { CorruptMember, Expression, InputMember, TableColumn, TableType } from '../../grammar/ast.js';
import type { IRInput, IRTableColumn, Shape } from '../../ir/types.js';
import { bindArguments } from './bind.js';
import { corruptionNames, corruptionOps } from '../shapes/corruptions.js';
import { bindContext, type ModelContext } from './context.js';
import { message } from '../../diagnostics/message.js';
import { writtenName } from '../resolve/written.js';

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
      ctx.reporter.report('AE2002', decl.name, message('AE2002', { owner: `model \`${ctx.decl.name.name}\``, count: 'two', things: 'inputs', name: decl.name.name }), {
        file: ctx.file,
        related: [{ message: 'first declared here', range: first.name.range }],
      });
      continue;
    }
    seen.set(decl.name.name, decl);
    const ir = inputType(ctx, decl);
    if (ir) inputs.push({ decl, ir });
  }
  const reconstructed = inputs.find((i) => i.ir.kind !== 'label')?.ir;
  if (!reconstructed && declared.length > 0 && inputs.length === declared.length) {
    ctx.reporter.report('AE3012', ctx.decl.name, `model \`${ctx.decl.name.name}\` has no tensor input to reconstruct (only labels)`, { file: ctx.file });
  }
  const checked: CheckedInputs = { inputs };
  if (reconstructed) checked.reconstructed = reconstructed;
  return checked;
}

function inputType(ctx: ModelContext, decl: InputMember): IRInput | undefined {
  const type = decl.type;
  if (type.kind === 'LabelType') {
    const classes = wholeAtLeast(ctx, type.classes, 2, 'the class count of a label');
    if (classes === undefined) return undefined;
    return { name: decl.name.name, kind: 'label', shape: [null], dtype: 'int32', classes };
  }
  if (type.kind === 'TableType') return tableInput(ctx, decl.name.name, type);
  // The batch dimension first, then the written ones (pushed in place, not spread into a new array).
  const shape: Shape = [null];
  for (const d of type.dimensions) {
    const value = wholeAtLeast(ctx, d, 1, 'a dimension');
    if (value === undefined) return undefined;
    shape.push(value);
  }
  if (shape.length === 1) {
    ctx.reporter.report('AE3008', type, message('AE3008', { what: 'the shape of an input', expected: 'at least one dimension', actual: '[]' }), { file: ctx.file });
    return undefined;
  }
  let range: [number, number] | undefined;
  if (type.valueRange) {
    const low = ctx.evaluator.evaluate(type.valueRange.low, ctx.env);
    const high = ctx.evaluator.evaluate(type.valueRange.high, ctx.env);
    if (low === undefined || high === undefined) return undefined;
    if (typeof low !== 'number' || typeof high !== 'number' || !(low < high)) {
      const shown = (v: unknown) => (typeof v === 'number' ? String(v) : JSON.stringify(v));
      ctx.reporter.report('AE3009', type.valueRange, message('AE3009', { what: 'the value range', expected: 'two numbers with low < high', actual: `[${shown(low)}, ${shown(high)}]` }), { file: ctx.file });
      return undefined;
    }
    range = [low, high];
  }
  const input: IRInput = { name: decl.name.name, kind: 'tensor', shape, dtype: 'float32' };
  // Assigned last, where the spread of it was: the same key order, hence the same JSON.
  if (range) input.range = range;
  return input;
}

/** `table(amount, merchant: category(40))`: each column once, a categorical one with a whole
 *  level count ≥ 2; the input is the encoded row, one slot per numeric column and one per level. */
function tableInput(ctx: ModelContext, name: string, type: TableType): IRInput | undefined {
  const columns: IRTableColumn[] = [];
  const seen = new Map<string, TableColumn>();
  let ok = true;
  for (const column of type.columns) {
    if (column.recovered) return undefined;
    const first = seen.get(column.name.name);
    if (first) {
      ctx.reporter.report('AE2002', column.name, message('AE2002', { owner: `table \`${name}\``, count: 'two', things: 'columns', name: column.name.name }), {
        file: ctx.file,
        related: [{ message: 'first declared here', range: first.name.range }],
      });
      ok = false;
      continue;
    }
    seen.set(column.name.name, column);
    if (!column.category) {
      columns.push({ name: column.name.name });
      continue;
    }
    const call = column.category;
    const isCategory = call.callee.kind === 'NameRef' && call.callee.name === 'category' && call.args.length === 1 && call.args[0]!.name === undefined;
    if (!isCategory) {
      ctx.reporter.report('AE2014', call, message('AE2014', { what: `the type of column \`${column.name.name}\``, expected: '`category(levels)` (or nothing, for a numeric column)' }), { file: ctx.file });
      ok = false;
      continue;
    }
    const levels = wholeAtLeast(ctx, call.args[0]!.value, 2, `the level count of column \`${column.name.name}\``);
    if (levels === undefined) ok = false;
    else columns.push({ name: column.name.name, levels });
  }
  if (!ok) return undefined;
  const width = columns.reduce((sum, c) => sum + (c.levels ?? 1), 0);
  return { name, kind: 'table', shape: [null, width], dtype: 'float32', columns };
}

/** `what` is the size being read, as a message names it ("a dimension"). */
function wholeAtLeast(ctx: ModelContext, expr: Expression, min: number, what: string): number | undefined {
  const value = ctx.evaluator.evaluate(expr, ctx.env);
  if (value === undefined) return undefined;
  if (typeof value !== 'number') {
    ctx.reporter.report('AE2014', expr, message('AE2014', { what, expected: `a whole number ≥ ${min}` }), { file: ctx.file });
    return undefined;
  }
  if (!Number.isInteger(value)) {
    ctx.reporter.report('AE2015', expr, message('AE2015', { what, value }), { file: ctx.file });
    return undefined;
  }
  if (value < min) {
    ctx.reporter.report('AE3008', expr, message('AE3008', { what, expected: `≥ ${min}`, actual: value }), { file: ctx.file });
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
        ctx.reporter.report('AE2003', call.callee, message('AE2003', { kind: 'corruption', name: writtenName(call.callee) }), {
          file: ctx.file,
          notes: [`corruptions: ${corruptionNames.join(', ')}`],
        });
        return;
      }
      const name = call.callee.name;
      const op = Object.prototype.hasOwnProperty.call(corruptionOps, name) ? corruptionOps[name] : undefined;
      if (!op) {
        ctx.reporter.unknown('AE2003', call.callee, message('AE2003', { kind: 'corruption', name }), name, corruptionNames, {
          file: ctx.file,
          notes: [`corruptions: ${corruptionNames.join(', ')}`],
        });
        return;
      }
      const args = bindArguments(op.signature, call, `\`${name}\``, bindContext(ctx));
      if (!args) return;
      const problem = op.check?.(args);
      if (problem) {
        ctx.reporter.report('AE3009', call, message('AE3009', { ...problem }), { file: ctx.file });
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

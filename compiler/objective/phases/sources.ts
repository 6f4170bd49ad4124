// `data = ...` / `validate = ...`: the data sources of LANGUAGE.md section 8, one option list each.
import type { DataSource } from '../../../ir/types.js';
import { bindOptions, nonNegative, nonNegativeInteger, positiveInteger, type CallLike, type OptionSpec, type SettingContext } from './options.js';
import { unknownWord } from '../values.js';
import { diagnostic } from '../../../diagnostics/diagnostic.js';
import { message } from '../../../diagnostics/message.js';
import { elementCount, formatShape } from '../../shapes/dims.js';

const sources: Record<DataSource['kind'], readonly OptionSpec[]> = {
  mnist: [{ name: 'split', kind: 'string', words: ['train', 'test'] }],
  idx: [
    { name: 'images', kind: 'string', default: 'required' },
    { name: 'labels', kind: 'string' },
  ],
  csv: [
    { name: 'path', kind: 'string', default: 'required' },
    { name: 'label', kind: 'string' },
    { name: 'delimiter', kind: 'string' },
    // A series (rows = steps, columns = channels) cut into windows of `window` steps, `stride` apart.
    { name: 'window', kind: 'number', check: positiveInteger },
    { name: 'stride', kind: 'number', check: positiveInteger },
  ],
  npy: [
    { name: 'path', kind: 'string', default: 'required' },
    { name: 'labels', kind: 'string' },
  ],
  synthetic: [
    { name: 'samples', kind: 'number', default: 1024, check: positiveInteger },
    { name: 'seed', kind: 'number', default: 0, check: nonNegativeInteger },
    { name: 'rank', kind: 'number', check: positiveInteger },
    { name: 'noise', kind: 'number', check: nonNegative },
  ],
};

export const dataSourceNames = Object.keys(sources);

/** The options a data source takes, with their defaults (for editors' completion and signature help). */
export function dataSourceOptions(name: string): readonly OptionSpec[] | undefined {
  return Object.prototype.hasOwnProperty.call(sources, name) ? sources[name as DataSource['kind']] : undefined;
}

/** `split` defaults to the role: `data` reads the training split, `validate` the test split. */
export function lowerDataSource(call: CallLike, role: 'data' | 'validate', context: SettingContext): DataSource | undefined {
  if (!Object.hasOwn(sources, call.name)) {
    context.diagnostics.push(
      unknownWord('AE4105', message('AE4105', { kind: 'data source', name: call.name }), call.name, call.nameRange, dataSourceNames, [
        `data sources: ${dataSourceNames.join(', ')}`,
      ]),
    );
    return undefined;
  }
  const kind = call.name as DataSource['kind'];
  const options = bindOptions(call, sources[kind], context);
  if (!options) return undefined;
  if (kind === 'mnist') {
    if (!mnistFits(call, context)) return undefined;
    return { kind, split: (options.split ?? (role === 'data' ? 'train' : 'test')) as 'train' | 'test' };
  }
  if (kind === 'csv' && !windowsFit(call, options, context)) return undefined;
  return { kind, ...options } as DataSource;
}

/** `csv(..., window = t)` gives [t, c] windows: the input must be a sequence of t steps. */
function windowsFit(call: CallLike, options: Record<string, unknown>, context: SettingContext): boolean {
  const window = options.window as number | undefined;
  if (window === undefined) {
    if (options.stride === undefined) return true;
    context.diagnostics.push(diagnostic('AE4102', message('AE4102', { what: '`csv` option `stride`', expected: 'given with `window` (the steps between two windows)' }), call.range));
    return false;
  }
  if (context.diagnostics.some((d) => d.code === 'AE4108')) return false;
  const input = context.model.reconstructed;
  if (!input) return true;
  const steps = input.shape.length === 3 ? input.shape[1] : undefined;
  if (steps === window || steps === null) return true;
  const declared = context.model.inputs.find((i) => i.ir.name === input.name);
  const channels = input.shape.length === 3 ? input.shape[2] : 'c';
  context.diagnostics.push(
    diagnostic('AE4108', message('AE4108', { source: 'csv', gives: `windows of ${window} steps`, input: input.name, declared: `${formatShape(input.shape)}` }), call.range, {
      notes: [steps === undefined ? `a window is a sequence: declare \`input ${input.name}: [${window}, c]\`` : `declare \`input ${input.name}: [${window}, ${channels}]\`, or read \`window = ${steps}\``],
      ...(declared ? { related: [{ message: `\`${input.name}\` declared here`, range: declared.decl.range }] } : {}),
    }),
  );
  return false;
}

/** MNIST's shape is known before any file is read: 28x28 grey images (784 values), 10 classes. */
const MNIST_VALUES = 784;
const MNIST_CLASSES = 10;

function mnistFits(call: CallLike, context: SettingContext): boolean {
  const { model } = context;
  // `data` and `validate` both naming mnist: the misfit is reported once.
  if (context.diagnostics.some((d) => d.code === 'AE4108')) return false;
  const input = model.reconstructed;
  const values = input ? elementCount(input.shape) : null;
  if (input && values !== null && values !== MNIST_VALUES) {
    const declared = model.inputs.find((i) => i.ir.name === input.name);
    context.diagnostics.push(
      diagnostic('AE4108', message('AE4108', { source: 'mnist', gives: '28x28 images (784 values)', input: input.name, declared: `${formatShape(input.shape)} (${values} values)` }), call.nameRange, {
        notes: [`declare \`input ${input.name}: [28, 28, 1] in [0, 1]\` (or [784]), or train on another data source`],
        ...(declared ? { related: [{ message: `\`${input.name}\` declared here`, range: declared.decl.range }] } : {}),
      }),
    );
    return false;
  }
  const label = model.inputs.find((i) => i.ir.classes !== undefined && i.ir.classes < MNIST_CLASSES);
  if (label) {
    context.diagnostics.push(
      diagnostic('AE4108', message('AE4108', { source: 'mnist', gives: '10 classes', input: label.ir.name, declared: `\`label(${label.ir.classes})\`` }), call.nameRange, {
        notes: [`declare \`input ${label.ir.name}: label(10)\``],
        related: [{ message: `\`${label.ir.name}\` declared here`, range: label.decl.range }],
      }),
    );
    return false;
  }
  return true;
}

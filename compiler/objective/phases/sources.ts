// `data = ...` / `validate = ...`: the data sources of LANGUAGE.md section 8, one option list each.
import type { DataSource } from '../../ir/types.js';
import { bindOptions, nonNegative, nonNegativeInteger, positiveInteger, type CallLike, type OptionSpec, type SettingContext } from './options.js';
import { unknownWord } from '../values.js';

const sources: Record<DataSource['kind'], readonly OptionSpec[]> = {
  mnist: [{ name: 'split', kind: 'string', words: ['train', 'test'] }],
  idx: [
    { name: 'images', kind: 'string', default: 'required' },
    { name: 'labels', kind: 'string' },
  ],
  csv: [
    { name: 'path', kind: 'string', default: 'required' },
    { name: 'label', kind: 'string' },
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

/** `split` defaults to the role: `data` reads the training split, `validate` the test split. */
export function lowerDataSource(call: CallLike, role: 'data' | 'validate', context: SettingContext): DataSource | undefined {
  if (!(call.name in sources)) {
    context.diagnostics.push(
      unknownWord('AE4105', `unknown data source \`${call.name}\``, call.name, call.nameRange, dataSourceNames, [
        `data sources: ${dataSourceNames.join(', ')}`,
      ]),
    );
    return undefined;
  }
  const kind = call.name as DataSource['kind'];
  const options = bindOptions(call, sources[kind], context);
  if (!options) return undefined;
  if (kind === 'mnist') return { kind, split: (options.split ?? (role === 'data' ? 'train' : 'test')) as 'train' | 'test' };
  return { kind, ...options } as DataSource;
}

// A train setting written as a bare call, `early_stop(patience = 3)`, is short for
// `early_stop = early_stop(patience = 3)`. That only reads well for a setting whose value is a call
// of its own name; for anything else the bare call is a slip, and the fix says what was meant:
// `adam(lr = 1e-3)` → `optimizer = adam(lr = 1e-3)`, `epochs(5)` → `epochs = 5`.
import type { Call, TrainSetting } from '../../../grammar/ast.js';
import { diagnostic, type Diagnostic, type TextEdit } from '../../../diagnostics/diagnostic.js';
import { message } from '../../../diagnostics/message.js';
import { dataSourceNames } from './sources.js';
import { optimizerNames } from './optimizers.js';

/** Settings whose value may be a call named like the setting. (`schedule`'s is `greedy(...)`,
 *  `optimizer`'s `adam(...)`, `data`'s `mnist(...)`: their names differ from the setting's.) */
export const shorthandSettings: ReadonlySet<string> = new Set(['early_stop']);

/** The setting a bare call of a value's own name belongs to: `adam(...)` is an `optimizer`. */
function settingOfValue(name: string): string | undefined {
  if (optimizerNames.includes(name)) return 'optimizer';
  if (dataSourceNames.includes(name)) return 'data';
  if (name === 'greedy') return 'schedule';
  return undefined;
}

/** Undefined when the shorthand is fine (or the setting is unknown: AE4101 reports that). */
export function checkShorthand(setting: TrainSetting & { value: Call }, knownSettings: readonly string[]): Diagnostic | undefined {
  const name = setting.name.name;
  if (shorthandSettings.has(name)) return undefined;
  const belongsTo = settingOfValue(name);
  if (belongsTo) {
    return diagnostic('AE4101', message('AE4101', { name: `${name}(...)` }), setting.name.range, {
      notes: [`\`${name}(...)\` is a value of \`${belongsTo}\``, `a train setting is written \`name = value\`: \`${belongsTo} = ${name}(...)\``],
      fix: { message: `insert \`${belongsTo} = \``, edits: [{ range: { start: setting.range.start, end: setting.range.start }, newText: `${belongsTo} = ` }] },
    });
  }
  if (!knownSettings.includes(name)) return undefined;
  return diagnostic('AE4102', message('AE4102', { what: `\`${name}\``, expected: 'set with `=`, not called' }), setting.value.range, {
    notes: [`write \`${name} = value\`; only ${[...shorthandSettings].map((s) => `\`${s}(...)\``).join(', ')} may stand alone`],
    ...unwrapFix(setting.value),
  });
}

/** `epochs(5)` → `epochs = 5`: only when there is exactly one positional argument to unwrap. */
function unwrapFix(call: Call): { fix?: { message: string; edits: TextEdit[] } } {
  const [only, ...rest] = call.args;
  if (!only || rest.length > 0 || only.name) return {};
  const edits: TextEdit[] = [
    { range: { start: call.callee.range.end, end: only.range.start }, newText: ' = ' },
    { range: { start: only.range.end, end: call.range.end }, newText: '' },
  ];
  return { fix: { message: 'replace the parentheses with `=`', edits } };
}

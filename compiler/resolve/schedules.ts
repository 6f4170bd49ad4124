// Coefficient schedules, `ramp(0, 1, epochs = 10)` and `cyclic(0, 1, period = 10, ramp = 0.5)`:
// calls with a constant value (like `leaky_relu(0.1)`), so a `let` may hold one and the loss may
// multiply a term by it. Here their arguments are bound and proved; the objective (linear.ts)
// places the schedule on the terms it multiplies, and the runtime applies it per epoch
// (ir/schedule.ts defines the values).
import type { Call } from '../../grammar/ast.js';
import type { IRSchedule } from '../../ir/types.js';
import type { Reporter } from '../../diagnostics/reporter.js';
import { message } from '../../diagnostics/message.js';

/** A schedule as a constant value. */
export interface ScheduleConstant {
  schedule: IRSchedule;
}

interface ScheduleArgument {
  name: string;
  /** What it must be, as a message says it; `check` returns false when the value is not that. */
  expected: string;
  check: (value: number) => boolean;
  default?: number;
}

const anyNumber = { expected: 'a number', check: () => true };
const signatures = {
  ramp: {
    doc: 'a linear ramp from `from` to `to` over the first `epochs` epochs, then `to` (KL warm-up)',
    args: [
      { name: 'from', ...anyNumber },
      { name: 'to', ...anyNumber },
      { name: 'epochs', expected: 'a whole number of epochs ≥ 1', check: (v: number) => Number.isInteger(v) && v >= 1 },
    ],
  },
  cyclic: {
    doc: 'cyclical annealing (Fu et al. 2019): every `period` epochs, a ramp from `from` to `to` over the first `ramp` fraction of the period, then `to`',
    args: [
      { name: 'from', ...anyNumber },
      { name: 'to', ...anyNumber },
      { name: 'period', expected: 'a whole number of epochs ≥ 2 (a period of 1 never leaves `from`)', check: (v: number) => Number.isInteger(v) && v >= 2 },
      { name: 'ramp', expected: 'a fraction of the period in (0, 1]', check: (v: number) => v > 0 && v <= 1, default: 0.5 },
    ],
  },
} as const satisfies Record<string, { doc: string; args: readonly ScheduleArgument[] }>;

export type ScheduleName = keyof typeof signatures;
export const scheduleNames = Object.keys(signatures) as ScheduleName[];

export function isScheduleName(name: string): name is ScheduleName {
  return Object.hasOwn(signatures, name);
}

export function isScheduleConstant(value: unknown): value is ScheduleConstant {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'schedule' in value;
}

/** A schedule's doc line and arguments (what each must be, its default), for hover and the docs. */
export function scheduleDoc(name: ScheduleName): { signature: string; doc: string; args: { name: string; expected: string; default?: number }[] } {
  const spec = signatures[name];
  const args = spec.args.map((a, i) => (i < 2 ? a.name : `${a.name} = ${'default' in a ? a.default : 'n'}`));
  return { signature: `${name}(${args.join(', ')})`, doc: spec.doc, args: spec.args.map((a) => ({ name: a.name, expected: a.expected, ...('default' in a ? { default: a.default } : {}) })) };
}

/** Binds `ramp(...)`/`cyclic(...)` whose arguments `evaluate` gives; reports and returns undefined
 *  when an argument is missing, unknown, given twice or out of range. */
export function bindSchedule(
  call: Call,
  fn: ScheduleName,
  evaluate: (expr: Call['args'][number]['value']) => unknown,
  reporter: Reporter | undefined,
  file: string,
): ScheduleConstant | undefined {
  const spec: readonly ScheduleArgument[] = signatures[fn].args;
  const given = new Map<string, Call['args'][number]>();
  let ok = true;
  call.args.forEach((arg, index) => {
    const name = arg.name?.name ?? spec[index]?.name;
    if (name === undefined || !spec.some((s) => s.name === name)) {
      if (arg.name) reporter?.unknown('AE2005', arg.name, message('AE2005', { owner: `\`${fn}\``, name: arg.name.name }), arg.name.name, spec.map((s) => s.name), { file });
      else reporter?.report('AE2006', arg, message('AE2006', { owner: `\`${fn}\``, expected: `${spec.length} arguments`, actual: `gets ${call.args.length}` }), { file });
      ok = false;
    } else if (given.has(name)) {
      reporter?.report('AE2007', arg, message('AE2007', { name }), { file });
      ok = false;
    } else given.set(name, arg);
  });
  const values: Record<string, number> = {};
  // Once an argument was misnamed, a missing one is most likely that one: reported once, not twice.
  const misnamed = !ok;
  for (const argument of spec) {
    const arg = given.get(argument.name);
    if (!arg) {
      if (argument.default !== undefined) values[argument.name] = argument.default;
      else if (!misnamed) {
        reporter?.report('AE4019', call, message('AE4019', { fn, problem: `\`${argument.name}\` is not given (${argument.expected})` }), { file, notes: [`\`${scheduleDoc(fn).signature}\`: ${signatures[fn].doc}`] });
      }
      ok &&= argument.default !== undefined;
      continue;
    }
    const value = evaluate(arg.value);
    if (value === undefined) ok = false;
    else if (typeof value !== 'number' || !argument.check(value)) {
      const shown = typeof value === 'number' ? String(value) : isScheduleConstant(value) ? 'a schedule' : JSON.stringify(value);
      reporter?.report('AE4019', arg.value, message('AE4019', { fn, problem: `\`${argument.name}\` must be ${argument.expected}, got ${shown}` }), { file });
      ok = false;
    } else values[argument.name] = value;
  }
  if (!ok) return undefined;
  return fn === 'ramp'
    ? { schedule: { kind: 'ramp', from: values.from!, to: values.to!, epochs: values.epochs! } }
    : { schedule: { kind: 'cyclic', from: values.from!, to: values.to!, period: values.period!, ramp: values.ramp! } };
}

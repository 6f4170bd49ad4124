// A weighted op's parameters with the shapes of the IR's parameter rule (ir/op-rules.ts), which the
// IR's graph validation checks with too: the compiler's registry adds only each role's initialiser
// (and whether it is trained), so the two cannot disagree on a shape.
import { parameterShapes } from '../../ir/op-rules.js';
import type { Initializer, IROpAttrs, ParameterRole, Shape } from '../../ir/types.js';
import { lastDim } from './dims.js';
import type { ParamSpec } from './layers.js';

/** The roles in `inits`, in its order, each with the rule's shape for `ir` on `input`. */
export function ruleParams(ir: IROpAttrs, input: Shape, inits: Partial<Record<ParameterRole, Initializer | { init: Initializer; trainable: false }>>): ParamSpec[] {
  const shapes = parameterShapes(ir.op, ir.attrs as never, lastDim(input) ?? 0);
  // Keys by `in`, not Object.entries and map: this runs for every weighted layer of every model.
  const specs: ParamSpec[] = [];
  for (const key in inits) {
    const role = key as ParameterRole;
    const init = inits[role]!;
    const shape = shapes[role];
    if (!shape) throw new Error(`the IR parameter rule of ${ir.op} has no ${role}`);
    specs.push(typeof init === 'string' ? { role, shape, init, trainable: true } : { role, shape, ...init });
  }
  return specs;
}

// Parameters as tf.Variables, created from the IR's initialisers with a seeded PRNG. A tied parameter
// owns no storage: it resolves to the variable of the parameter it is tied to (transposed for
// dense ↔ dense), so both layers read and update one tensor.
import * as tf from '@tensorflow/tfjs-core';
import type { IRModel, IRParameter } from '../../ir/types.js';
import type { ParamView } from './context.js';
import { initialValues } from './init.js';
import { Rng } from './rng.js';

export class ParameterStore {
  /** Storage by parameter id; tied parameters are absent (they live under their `tiedTo`). */
  readonly variables = new Map<string, tf.Variable>();
  private readonly byId = new Map<string, IRParameter>();

  constructor(parameters: readonly IRParameter[], seed: number) {
    const rng = new Rng(seed);
    for (const p of parameters) this.byId.set(p.id, p);
    for (const p of parameters) {
      if (p.tiedTo !== undefined) {
        const target = this.byId.get(p.tiedTo);
        if (!target) throw new Error(`parameter '${p.id}' is tied to unknown parameter '${p.tiedTo}'`);
        if (target.tiedTo !== undefined) throw new Error(`parameter '${p.id}' is tied to '${p.tiedTo}', itself tied`);
        continue;
      }
      const values = initialValues(p.init, p.shape, rng);
      const initial = tf.tensor(values, p.shape, 'float32');
      this.variables.set(p.id, tf.variable(initial, p.trainable));
      initial.dispose(); // the variable holds its own reference to the values

    }
  }

  /** The parameters that own storage, in IR order (what checkpoints hold). */
  stored(): IRParameter[] {
    return [...this.byId.values()].filter((p) => p.tiedTo === undefined);
  }

  parameter(id: string): IRParameter {
    const p = this.byId.get(id);
    if (!p) throw new Error(`unknown parameter '${id}'`);
    return p;
  }

  /** The id of the parameter whose variable holds `id`'s values. */
  storageId(id: string): string {
    return this.parameter(id).tiedTo ?? id;
  }

  view(id: string): ParamView {
    const p = this.parameter(id);
    const value = this.variables.get(this.storageId(id))!;
    return { value, transposed: p.tiedTo !== undefined && p.transpose === true };
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }
}

export function parameterCount(ir: IRModel): number {
  return ir.parameters.filter((p) => p.tiedTo === undefined).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
}

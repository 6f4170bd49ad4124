// Optimisers with state the runtime owns (slot variables per parameter, and a step count), so that a
// checkpoint can hold it and --resume continues exactly. Weight decay is decoupled (AdamW / SGDW
// style, Loshchilov & Hutter 2019): w ← w − lr·wd·w, applied to kernels and codebooks only (never
// biases or norm scales), identically for adam, sgd and rmsprop. An L2 penalty in the gradient
// instead is what the objective's `weight_decay()` term gives.
//
// One update covers all the small parameters a step trains (biases, small kernels): their gradients
// are concatenated into one flat vector and the rule runs once on it, with flat slots, so the rule
// launches a dozen kernels for all of them (per parameter there remain a slice, a reshape, the
// subtraction and the assignment); each large parameter is updated on its own. The constants of a
// rule are scalar tensors made once. Slots are stored per parameter (`${parameterId}/${slot}`) in
// checkpoints, whatever the grouping.
import * as tf from '@tensorflow/tfjs-core';
import type { Optimizer as OptimizerSpec } from '../../ir/types.js';
import type { StoredTensor, TensorMap } from '../runs/index.js';

export interface OptimizerState {
  step: number;
  /** Slot tensors as `${parameterId}/${slot}`. */
  slots: TensorMap;
}

export interface Optimizer {
  readonly spec: OptimizerSpec;
  readonly step: number;
  /** The rate the next updates use: the spec's `lr` until a schedule sets another. */
  learningRate: number;
  /** One update of `variables` (by parameter id) from `grads`; runs in its own tidy. */
  apply(grads: Record<string, tf.Tensor>, variables: ReadonlyMap<string, tf.Variable>): void;
  state(): Promise<OptimizerState>;
  load(state: OptimizerState, variables: ReadonlyMap<string, tf.Variable>): void;
  dispose(): void;
}

/** A scalar tensor for a constant of the rule, made once per optimiser. */
type Constant = (value: number) => tf.Scalar;

type SlotUpdate = (
  g: tf.Tensor,
  slot: (name: string) => tf.Variable,
  step: number,
  lr: number,
  k: Constant,
) => tf.Tensor; // the update Δ, applied as w ← w − Δ

const rules: { [K in OptimizerSpec['kind']]: (spec: Extract<OptimizerSpec, { kind: K }>) => { slots: string[]; update: SlotUpdate } } = {
  adam: (s) => ({
    slots: ['m', 'v'],
    // The bias corrections folded into the step size and epsilon (Kingma & Ba 2015, section 2):
    // lr·m̂/(√v̂ + ε) = lr_t·m/(√v + ε_t), lr_t = lr·√(1−β2^t)/(1−β1^t), ε_t = ε·√(1−β2^t).
    update: (g, slot, step, lr, k) => {
      const m = slot('m');
      const v = slot('v');
      m.assign(tf.add(tf.mul(m, k(s.beta1)), tf.mul(g, k(1 - s.beta1))));
      v.assign(tf.add(tf.mul(v, k(s.beta2)), tf.mul(tf.square(g), k(1 - s.beta2))));
      const correction = Math.sqrt(1 - Math.pow(s.beta2, step));
      const lrT = (lr * correction) / (1 - Math.pow(s.beta1, step));
      return tf.mul(tf.div(m, tf.add(tf.sqrt(v), tf.scalar(s.epsilon * correction))), tf.scalar(lrT));
    },
  }),
  sgd: (s) => ({
    slots: s.momentum > 0 ? ['velocity'] : [],
    update: (g, slot, _step, lr, k) => {
      if (s.momentum <= 0) return tf.mul(g, tf.scalar(lr));
      const velocity = slot('velocity');
      velocity.assign(tf.add(tf.mul(velocity, k(s.momentum)), g));
      return tf.mul(velocity, tf.scalar(lr));
    },
  }),
  rmsprop: (s) => ({
    slots: s.momentum > 0 ? ['ms', 'momentum'] : ['ms'],
    update: (g, slot, _step, lr, k) => {
      const ms = slot('ms');
      ms.assign(tf.add(tf.mul(ms, k(s.rho)), tf.mul(tf.square(g), k(1 - s.rho))));
      const scaled = tf.mul(tf.div(g, tf.add(tf.sqrt(ms), k(s.epsilon))), tf.scalar(lr));
      if (s.momentum <= 0) return scaled;
      const momentum = slot('momentum');
      momentum.assign(tf.add(tf.mul(momentum, k(s.momentum)), scaled));
      return momentum;
    },
  }),
};

/** Parameters updated together: their gradients concatenated into one flat vector, with flat slots. */
interface Group {
  ids: string[];
  shapes: number[][];
  sizes: number[];
  slots: Map<string, tf.Variable>;
}

/**
 * Parameters with fewer values than this share one fused update; larger ones get their own. Launch
 * overhead dominates only for small tensors, and concatenating large ones costs copies (measured on
 * wasm: fusing all of the main job's 0.45M parameters made its steps slower, fusing its biases not).
 */
const FUSED_BELOW = 16_384;

/** `decayed`: the parameter ids weight decay applies to (kernels and codebooks). */
export function createOptimizer(spec: OptimizerSpec, decayed: ReadonlySet<string>): Optimizer {
  const rule = (rules[spec.kind] as (s: OptimizerSpec) => { slots: string[]; update: SlotUpdate })(spec);
  const constants = new Map<number, tf.Scalar>();
  const k: Constant = (value) => {
    let scalar = constants.get(value);
    if (!scalar) {
      scalar = tf.keep(tf.scalar(value));
      constants.set(value, scalar);
    }
    return scalar;
  };
  /** The ids of the last step, in order, and their groups. */
  let layoutIds: string[] = [];
  let groups: Group[] = [];
  /** Slots of parameters outside the groups (loaded, or kept from an earlier layout), per parameter. */
  let pending: TensorMap = {};
  let step = 0;
  let learningRate = spec.lr;

  /** The groups' flat slots as per-parameter arrays. */
  const slotsOfGroups = (read: (slot: tf.Variable) => Float32Array): TensorMap => {
    const out: TensorMap = {};
    for (const group of groups) {
      for (const [name, slot] of group.slots) {
        const data = read(slot);
        let offset = 0;
        group.ids.forEach((id, i) => {
          out[`${id}/${name}`] = { dtype: 'F32', shape: group.shapes[i]!, data: data.slice(offset, offset + group.sizes[i]!) };
          offset += group.sizes[i]!;
        });
      }
    }
    return out;
  };

  const disposeGroups = () => {
    for (const group of groups) for (const slot of group.slots.values()) slot.dispose();
    groups = [];
    layoutIds = [];
  };

  const makeGroup = (ids: string[], variables: ReadonlyMap<string, tf.Variable>): Group => {
    const shapes = ids.map((id) => [...variables.get(id)!.shape]);
    const sizes = shapes.map((shape) => shape.reduce((a, b) => a * b, 1));
    const total = sizes.reduce((a, b) => a + b, 0);
    const slots = new Map<string, tf.Variable>();
    for (const name of rule.slots) {
      const data = new Float32Array(total);
      let offset = 0;
      ids.forEach((id, i) => {
        const stored = pending[`${id}/${name}`];
        if (stored) data.set(stored.data as Float32Array, offset);
        delete pending[`${id}/${name}`];
        offset += sizes[i]!;
      });
      const initial = tf.tensor1d(data, 'float32');
      slots.set(name, tf.variable(initial, false));
      initial.dispose();
    }
    return { ids, shapes, sizes, slots };
  };

  /** The groups for this step's parameters, rebuilt (from the per-parameter slots) when those change. */
  const useGroups = (ids: string[], variables: ReadonlyMap<string, tf.Variable>): Group[] => {
    if (layoutIds.length === ids.length && layoutIds.every((id, i) => id === ids[i])) return groups;
    pending = { ...pending, ...slotsOfGroups((slot) => slot.dataSync() as Float32Array) };
    disposeGroups();
    for (const id of ids) if (!variables.has(id)) throw new Error(`optimizer: gradient for unknown parameter '${id}'`);
    const small = ids.filter((id) => variables.get(id)!.size < FUSED_BELOW);
    const large = ids.filter((id) => variables.get(id)!.size >= FUSED_BELOW);
    groups = [...(small.length > 0 ? [makeGroup(small, variables)] : []), ...large.map((id) => makeGroup([id], variables))];
    layoutIds = ids;
    return groups;
  };

  const update = (group: Group, grads: Record<string, tf.Tensor>, variables: ReadonlyMap<string, tf.Variable>) => {
    const { ids, shapes, sizes } = group;
    const g = ids.length === 1 ? tf.reshape(grads[ids[0]!]!, [-1]) : tf.concat(ids.map((id) => tf.reshape(grads[id]!, [-1])));
    const delta = rule.update(g, (name) => group.slots.get(name)!, step, learningRate, k);
    let offset = 0;
    ids.forEach((id, i) => {
      const variable = variables.get(id)!;
      // slice, not split: tfjs-backend-wasm 4.22's SplitV copies element by element (17 ms for
      // the main job's 0.45M parameters, where slicing each piece takes under 1 ms).
      const piece = ids.length === 1 ? delta : tf.slice(delta, [offset], [sizes[i]!]);
      offset += sizes[i]!;
      let next = tf.sub(variable, tf.reshape(piece, shapes[i]!));
      if (spec.weightDecay > 0 && decayed.has(id)) next = tf.sub(next, tf.mul(variable, tf.scalar(learningRate * spec.weightDecay)));
      variable.assign(next);
    });
  };

  return {
    spec,
    get step() {
      return step;
    },
    get learningRate() {
      return learningRate;
    },
    set learningRate(value: number) {
      learningRate = value;
    },
    apply(grads, variables) {
      step += 1;
      const ids = Object.keys(grads);
      if (ids.length === 0) return;
      for (const group of useGroups(ids, variables)) tf.tidy(() => update(group, grads, variables));
    },
    async state() {
      const data = new Map<tf.Variable, Float32Array>();
      for (const group of groups) for (const slot of group.slots.values()) data.set(slot, (await slot.data()) as Float32Array);
      return { step, slots: { ...pending, ...slotsOfGroups((slot) => data.get(slot)!) } };
    },
    load(state, variables) {
      for (const [key, stored] of Object.entries(state.slots)) {
        const id = key.slice(0, key.lastIndexOf('/'));
        const variable = variables.get(id);
        if (!variable) throw new Error(`optimizer state: slot '${key}' names unknown parameter '${id}'`);
        if (!sameShape(stored, variable.shape)) {
          throw new Error(`optimizer state: slot '${key}' has shape [${stored.shape}], parameter has [${variable.shape}]`);
        }
      }
      disposeGroups();
      pending = { ...state.slots };
      step = state.step;
    },
    dispose() {
      disposeGroups();
      for (const scalar of constants.values()) scalar.dispose();
      constants.clear();
      pending = {};
    },
  };
}

function sameShape(stored: StoredTensor, shape: readonly number[]): boolean {
  return stored.shape.length === shape.length && stored.shape.every((d, i) => d === shape[i]);
}

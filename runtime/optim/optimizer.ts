// Optimisers with state the runtime owns (slot variables per parameter, and a step count), so that a
// checkpoint can hold it and --resume continues exactly. Weight decay is decoupled (AdamW / SGDW
// style, Loshchilov & Hutter 2019): w ← w − lr·wd·w, applied to kernels and codebooks only (never
// biases or norm scales), identically for adam, sgd and rmsprop. An L2 penalty in the gradient
// instead is what the objective's `weight_decay()` term gives.
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

type SlotUpdate = (
  g: tf.Tensor,
  slot: (name: string) => tf.Variable,
  step: number,
  lr: number,
) => tf.Tensor; // the update Δ, applied as w ← w − Δ

const rules: { [K in OptimizerSpec['kind']]: (spec: Extract<OptimizerSpec, { kind: K }>) => { slots: string[]; update: SlotUpdate } } = {
  adam: (s) => ({
    slots: ['m', 'v'],
    update: (g, slot, step, lr) => {
      const m = slot('m');
      const v = slot('v');
      m.assign(tf.add(tf.mul(m, s.beta1), tf.mul(g, 1 - s.beta1)));
      v.assign(tf.add(tf.mul(v, s.beta2), tf.mul(tf.square(g), 1 - s.beta2)));
      const mHat = tf.div(m, 1 - Math.pow(s.beta1, step));
      const vHat = tf.div(v, 1 - Math.pow(s.beta2, step));
      return tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), s.epsilon)), lr);
    },
  }),
  sgd: (s) => ({
    slots: s.momentum > 0 ? ['velocity'] : [],
    update: (g, slot, _step, lr) => {
      if (s.momentum <= 0) return tf.mul(g, lr);
      const velocity = slot('velocity');
      velocity.assign(tf.add(tf.mul(velocity, s.momentum), g));
      return tf.mul(velocity, lr);
    },
  }),
  rmsprop: (s) => ({
    slots: s.momentum > 0 ? ['ms', 'momentum'] : ['ms'],
    update: (g, slot, _step, lr) => {
      const ms = slot('ms');
      ms.assign(tf.add(tf.mul(ms, s.rho), tf.mul(tf.square(g), 1 - s.rho)));
      const scaled = tf.mul(tf.div(g, tf.add(tf.sqrt(ms), s.epsilon)), lr);
      if (s.momentum <= 0) return scaled;
      const momentum = slot('momentum');
      momentum.assign(tf.add(tf.mul(momentum, s.momentum), scaled));
      return momentum;
    },
  }),
};

/** `decayed`: the parameter ids weight decay applies to (kernels and codebooks). */
export function createOptimizer(spec: OptimizerSpec, decayed: ReadonlySet<string>): Optimizer {
  const rule = (rules[spec.kind] as (s: OptimizerSpec) => { slots: string[]; update: SlotUpdate })(spec);
  const slots = new Map<string, tf.Variable>();
  let step = 0;
  let learningRate = spec.lr;

  const slotFor = (id: string, like: tf.Tensor) => (name: string) => {
    const key = `${id}/${name}`;
    let slot = slots.get(key);
    if (!slot) {
      slot = tf.variable(tf.zerosLike(like), false);
      slots.set(key, slot);
    }
    return slot;
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
      tf.tidy(() => {
        for (const [id, g] of Object.entries(grads)) {
          const variable = variables.get(id);
          if (!variable) throw new Error(`optimizer: gradient for unknown parameter '${id}'`);
          const delta = rule.update(g, slotFor(id, variable), step, learningRate);
          let next = tf.sub(variable, delta);
          if (spec.weightDecay > 0 && decayed.has(id)) next = tf.sub(next, tf.mul(variable, learningRate * spec.weightDecay));
          variable.assign(next);
        }
      });
    },
    async state() {
      const out: TensorMap = {};
      for (const [key, slot] of slots) {
        out[key] = { dtype: 'F32', shape: [...slot.shape], data: (await slot.data()) as Float32Array };
      }
      return { step, slots: out };
    },
    load(state, variables) {
      step = state.step;
      for (const [key, stored] of Object.entries(state.slots)) {
        const id = key.slice(0, key.lastIndexOf('/'));
        const variable = variables.get(id);
        if (!variable) throw new Error(`optimizer state: slot '${key}' names unknown parameter '${id}'`);
        if (!sameShape(stored, variable.shape)) {
          throw new Error(`optimizer state: slot '${key}' has shape [${stored.shape}], parameter has [${variable.shape}]`);
        }
        slots.get(key)?.dispose();
        const initial = tf.tensor(stored.data as Float32Array, stored.shape, 'float32');
        slots.set(key, tf.variable(initial, false));
        initial.dispose();
      }
    },
    dispose() {
      for (const slot of slots.values()) slot.dispose();
      slots.clear();
    },
  };
}

function sameShape(stored: StoredTensor, shape: readonly number[]): boolean {
  return stored.shape.length === shape.length && stored.shape.every((d, i) => d === shape[i]);
}

// The optimisers' updates in the step graph, the rules of runtime/optim/optimizer.ts: the same slots
// (so checkpoints move between engines), Adam's bias corrections folded into the step size and
// epsilon, and decoupled weight decay w ← w − lr·wd·w on kernels and codebooks. What changes from
// step to step (the corrected rate, epsilon, lr·wd) is fed as three scalars, so one graph serves
// every step and every learning-rate schedule.
import type { Optimizer as OptimizerSpec } from '../../../ir/types.js';
import type { StepGraph, Sym } from './graph.js';
import * as p from './primitives.js';

export const STEP_SCALARS = ['lr', 'epsilon', 'decay'] as const;
export type StepScalar = (typeof STEP_SCALARS)[number];

/** The slots each parameter keeps, named as the tfjs optimiser names them. */
export function optimizerSlots(spec: OptimizerSpec): string[] {
  switch (spec.kind) {
    case 'adam':
      return ['m', 'v'];
    case 'sgd':
      return spec.momentum > 0 ? ['velocity'] : [];
    case 'rmsprop':
      return spec.momentum > 0 ? ['ms', 'momentum'] : ['ms'];
  }
}

/** The scalars' values for optimiser step `step` (1-based) at learning rate `lr`. */
export function stepScalars(spec: OptimizerSpec, step: number, lr: number): Record<StepScalar, number> {
  const decay = lr * spec.weightDecay;
  switch (spec.kind) {
    case 'adam': {
      // lr·m̂/(√v̂ + ε) = lr_t·m/(√v + ε_t), lr_t = lr·√(1−β2^t)/(1−β1^t), ε_t = ε·√(1−β2^t)
      const correction = Math.sqrt(1 - Math.pow(spec.beta2, step));
      return { lr: (lr * correction) / (1 - Math.pow(spec.beta1, step)), epsilon: spec.epsilon * correction, decay };
    }
    case 'sgd':
      return { lr, epsilon: 0, decay };
    case 'rmsprop':
      return { lr, epsilon: spec.epsilon, decay };
  }
}

interface UpdateInput {
  weight: Sym;
  gradient: Sym;
  slots: Sym[];
  scalars: Record<StepScalar, Sym>;
  decayed: boolean;
}

/** The parameter's next value and its slots' next values (in optimizerSlots order). */
export function updateParameter(g: StepGraph, spec: OptimizerSpec, input: UpdateInput): { weight: Sym; slots: Sym[] } {
  const { gradient: grad, slots, scalars } = input;
  const k = (value: number) => g.scalar(value);
  const { delta, next } = ((): { delta: Sym; next: Sym[] } => {
    switch (spec.kind) {
      case 'adam': {
        const m = p.add(g, p.mul(g, slots[0]!, k(spec.beta1)), p.mul(g, grad, k(1 - spec.beta1)));
        const v = p.add(g, p.mul(g, slots[1]!, k(spec.beta2)), p.mul(g, p.square(g, grad), k(1 - spec.beta2)));
        const denominator = p.add(g, g.constant('Sqrt', [v], v.shape), scalars.epsilon);
        return { delta: p.mul(g, p.div(g, m, denominator), scalars.lr), next: [m, v] };
      }
      case 'sgd': {
        if (spec.momentum <= 0) return { delta: p.mul(g, grad, scalars.lr), next: [] };
        const velocity = p.add(g, p.mul(g, slots[0]!, k(spec.momentum)), grad);
        return { delta: p.mul(g, velocity, scalars.lr), next: [velocity] };
      }
      case 'rmsprop': {
        const ms = p.add(g, p.mul(g, slots[0]!, k(spec.rho)), p.mul(g, p.square(g, grad), k(1 - spec.rho)));
        const scaled = p.mul(g, p.div(g, grad, p.add(g, g.constant('Sqrt', [ms], ms.shape), scalars.epsilon)), scalars.lr);
        if (spec.momentum <= 0) return { delta: scaled, next: [ms] };
        const momentum = p.add(g, p.mul(g, slots[1]!, k(spec.momentum)), scaled);
        return { delta: momentum, next: [ms, momentum] };
      }
    }
  })();
  let weight = p.sub(g, input.weight, delta);
  if (input.decayed && spec.weightDecay > 0) weight = p.sub(g, weight, p.mul(g, input.weight, scalars.decay));
  return { weight, slots: next };
}

// The optimisers' updates, the rules of runtime/optim/optimizer.ts applied in place to the engine's
// arrays: the same slots (so checkpoints move between engines), Adam's bias corrections folded
// into the step size and epsilon, and decoupled weight decay w ← w − lr·wd·w on the parameters the
// stage plan's update names (ir/stage-update.ts: kernels and codebooks). One fused loop per
// parameter, not more nodes of the step graph: ONNX has no optimiser op, and the dozen elementwise
// kernels Adam takes there cost 15 of a 37 ms MNIST step (ONNX Runtime's profiler; each a pass over
// memory), where this loop takes about 1 ms.
import type { Optimizer as OptimizerSpec } from '../../../ir/types.js';

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

export interface ParameterUpdate {
  weight: Float32Array;
  gradient: Float32Array;
  /** In optimizerSlots order. */
  slots: Float32Array[];
  /** Weight decay applies (the plan's `update.decayed` names it). */
  decayed: boolean;
}

/** Step `step` (1-based) of `spec` at rate `lr`, applied to `p` in place. */
export function applyUpdate(spec: OptimizerSpec, step: number, lr: number, p: ParameterUpdate): void {
  const { weight: w, gradient: g, slots } = p;
  const decay = p.decayed ? lr * spec.weightDecay : 0;
  const n = w.length;
  switch (spec.kind) {
    case 'adam': {
      // lr·m̂/(√v̂ + ε) = lr_t·m/(√v + ε_t), lr_t = lr·√(1−β2^t)/(1−β1^t), ε_t = ε·√(1−β2^t)
      const correction = Math.sqrt(1 - Math.pow(spec.beta2, step));
      const lrT = (lr * correction) / (1 - Math.pow(spec.beta1, step));
      const epsT = spec.epsilon * correction;
      const [m, v] = slots as [Float32Array, Float32Array];
      const { beta1, beta2 } = spec;
      for (let i = 0; i < n; i++) {
        const gi = g[i]!;
        const mi = (m[i] = beta1 * m[i]! + (1 - beta1) * gi);
        const vi = (v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi);
        const wi = w[i]!;
        w[i] = wi - (lrT * mi) / (Math.sqrt(vi) + epsT) - decay * wi;
      }
      return;
    }
    case 'sgd': {
      if (spec.momentum <= 0) {
        for (let i = 0; i < n; i++) w[i] = w[i]! - lr * g[i]! - decay * w[i]!;
        return;
      }
      const [velocity] = slots as [Float32Array];
      for (let i = 0; i < n; i++) {
        const vi = (velocity[i] = spec.momentum * velocity[i]! + g[i]!);
        w[i] = w[i]! - lr * vi - decay * w[i]!;
      }
      return;
    }
    case 'rmsprop': {
      const [ms, momentum] = slots as [Float32Array, Float32Array | undefined];
      for (let i = 0; i < n; i++) {
        const gi = g[i]!;
        const msi = (ms[i] = spec.rho * ms[i]! + (1 - spec.rho) * gi * gi);
        let delta = (lr * gi) / (Math.sqrt(msi) + spec.epsilon);
        if (momentum) delta = momentum[i] = spec.momentum * momentum[i]! + delta;
        w[i] = w[i]! - delta - decay * w[i]!;
      }
      return;
    }
  }
}

// The optimisers' updates, the rules of runtime/optim/optimizer.ts applied in place to the engine's
// arrays: the same slots (so checkpoints move between engines), Adam's bias corrections folded
// into the step size and epsilon, and decoupled weight decay w ← w − lr·wd·w on the parameters the
// stage plan's update names (ir/stage-update.ts: kernels and codebooks). One fused loop per
// parameter (update-kernels.ts, WebAssembly SIMD), not more nodes of the step graph: ONNX has no
// optimiser op, and the dozen elementwise kernels Adam takes there cost 15 of a 37 ms MNIST step
// (ONNX Runtime's profiler; each a pass over memory).
//
// The loops read and write one WebAssembly memory, so every array they touch lives in it: the
// weights and slots, and the gradients, which ONNX Runtime writes there as preallocated outputs.
import type { Optimizer as OptimizerSpec } from '../../../ir/types.js';
import { SMALLEST_NORMAL, updateKernels, type UpdateKernels } from './update-kernels.js';

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

const PAGE = 65536;
/** Bytes of a group of four floats, the loops' unit. */
const GROUP = 16;

/**
 * Float arrays in one WebAssembly memory, each starting on a group and padded to whole groups (the
 * padding is zero and never read by anyone but the loops). The sizes are known before the first
 * array is taken, so the memory never grows and no view is ever detached.
 */
export class UpdateArena {
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: UpdateKernels;
  private readonly size: number;
  private next = 0;

  /** An arena for arrays of `lengths` floats. */
  constructor(lengths: readonly number[]) {
    this.size = lengths.reduce((total, n) => total + groups(n) * GROUP, 0);
    this.memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(this.size / PAGE)) });
    this.kernels = updateKernels(this.memory);
  }

  /** The next array of `length` floats, zeroed. */
  take(length: number): Float32Array {
    const bytes = groups(length) * GROUP;
    if (this.next + bytes > this.size) throw new Error(`update arena: ${length} floats asked for beyond the ${this.size} bytes it was sized for`);
    const view = new Float32Array(this.memory.buffer, this.next, length);
    this.next += bytes;
    return view;
  }

  /** Step `step` (1-based) of `spec` at rate `lr`, applied to `p` (arrays of this arena) in place. */
  apply(spec: OptimizerSpec, step: number, lr: number, p: ParameterUpdate): void {
    const k = this.kernels;
    const w = this.offsetOf(p.weight);
    const g = this.offsetOf(p.gradient);
    const slots = p.slots.map((slot) => this.offsetOf(slot));
    const count = groups(p.weight.length);
    const decay = p.decayed ? lr * spec.weightDecay : 0;
    switch (spec.kind) {
      case 'adam': {
        // lr·m̂/(√v̂ + ε) = lr_t·m/(√v + ε_t), lr_t = lr·√(1−β2^t)/(1−β1^t), ε_t = ε·√(1−β2^t)
        const correction = Math.sqrt(1 - Math.pow(spec.beta2, step));
        const lrT = (lr * correction) / (1 - Math.pow(spec.beta1, step));
        k.adam(w, g, slots[0]!, slots[1]!, count, spec.beta1, 1 - spec.beta1, spec.beta2, 1 - spec.beta2, lrT, spec.epsilon * correction, decay, SMALLEST_NORMAL);
        return;
      }
      case 'sgd':
        if (spec.momentum > 0) k.sgd_momentum(w, g, slots[0]!, count, lr, spec.momentum, decay, SMALLEST_NORMAL);
        else k.sgd(w, g, count, lr, decay);
        return;
      case 'rmsprop':
        if (spec.momentum > 0) k.rmsprop_momentum(w, g, slots[0]!, slots[1]!, count, spec.rho, 1 - spec.rho, lr, spec.epsilon, spec.momentum, decay, SMALLEST_NORMAL);
        else k.rmsprop(w, g, slots[0]!, count, spec.rho, 1 - spec.rho, lr, spec.epsilon, decay, SMALLEST_NORMAL);
        return;
    }
  }

  private offsetOf(array: Float32Array): number {
    if (array.buffer !== this.memory.buffer) throw new Error('update arena: an array the loops update is not in their memory');
    return array.byteOffset;
  }
}

function groups(length: number): number {
  return Math.ceil(length / 4);
}

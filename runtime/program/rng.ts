// The training's seeded PRNG (the runtime's mulberry32, runtime/random.ts) so that weights, shuffles
// and noise depend only on the seed: the same seed gives the same run on the same backend. Its
// state is one integer, which is what state.json stores for --resume.
import { mulberry32Step } from '../random.js';

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = hashSeed(seed);
  }

  static fromState(state: number): Rng {
    const rng = new Rng(0);
    rng.state = state >>> 0;
    return rng;
  }

  getState(): number {
    return this.state;
  }

  /** Uniform in [0, 1). */
  next(): number {
    const step = mulberry32Step(this.state);
    this.state = step.state;
    return step.value;
  }

  /** Standard normal, by Box–Muller (one value per call; simple beats fast here). */
  normal(): number {
    let u = this.next();
    while (u <= 1e-12) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** An integer seed for tfjs random ops (which take their own seed). */
  nextSeed(): number {
    return Math.floor(this.next() * 2147483647);
  }

  /** A Fisher–Yates permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const swap = order[i]!;
      order[i] = order[j]!;
      order[j] = swap;
    }
    return order;
  }
}

/** Mixes several integers into one seed, so (seed, phase, epoch) streams are independent. */
export function deriveSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
  }
  return h >>> 0;
}

function hashSeed(seed: number): number {
  return deriveSeed(Math.floor(seed), 0x9e3779b9);
}

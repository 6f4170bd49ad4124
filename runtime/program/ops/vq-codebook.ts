// Keeps a VQ codebook alive during training. A codebook drawn from U(-1/K, 1/K) sits far from the
// encoder's outputs, so the first batch picks a handful of codes, only those move, and the rest are
// never chosen again: on examples/vq-vae 3 of 512 codes were in use (perplexity 1.58). Two remedies,
// as in Jukebox (Dhariwal et al. 2020) and the k-means initialisation of van den Oord et al.:
//   - initialisation from data: on the first training batch a codebook still at its initial
//     values (every entry within 1/K) is replaced by k-means++ seeds drawn from the encoder's outputs;
//   - dead-code restarts: a code chosen by no vector for RESTART_WINDOW training steps is moved onto
//     a random encoder output of the current batch.
// The state (usage counts) lives beside the codebook variable for the life of the program; a resumed
// run's codebook is trained already, so it is not re-initialised.
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../rng.js';

/** Training steps over which a code must be chosen at least once to stay where it is. */
export const RESTART_WINDOW = 50;
/** k-means++ seeding reads at most this many vectors of the first batch (conv codes have many). */
const MAX_SEED_VECTORS = 4096;

interface CodebookState {
  initialised: boolean;
  hits: Float64Array;
  steps: number;
  /** The seed of the last counted step: a forward pass replayed with the same randomness (a
   *  gradient check, a re-evaluation) is that step again, not a new one, and must not move codes. */
  lastSeed?: number;
}

const states = new WeakMap<tf.Tensor, CodebookState>();

/** True while every entry is within the U(-1/K, 1/K) initialiser's bound: never trained. */
function atInitialValues(codebook: Float32Array, codes: number): boolean {
  const bound = 1 / codes + 1e-7;
  for (const v of codebook) if (Math.abs(v) > bound) return false;
  return true;
}

/**
 * k-means++ seeds (Arthur & Vassilvitskii 2007): the first centre uniformly, each next one with
 * probability proportional to its squared distance from the nearest centre so far. With fewer
 * distinct vectors than codes, the remaining codes copy random vectors (restarts spread them later).
 */
export function kmeansPlusPlus(vectors: Float32Array, dim: number, k: number, rng: Rng): Float32Array {
  const n = vectors.length / dim;
  const centres = new Float32Array(k * dim);
  const nearest = new Float64Array(n).fill(Infinity);
  let chosen = Math.floor(rng.next() * n);
  for (let c = 0; c < k; c++) {
    centres.set(vectors.subarray(chosen * dim, (chosen + 1) * dim), c * dim);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let d = 0;
      for (let j = 0; j < dim; j++) {
        const diff = vectors[i * dim + j]! - centres[c * dim + j]!;
        d += diff * diff;
      }
      if (d < nearest[i]!) nearest[i] = d;
      total += nearest[i]!;
    }
    if (total <= 0) {
      chosen = Math.floor(rng.next() * n);
      continue;
    }
    let target = rng.next() * total;
    chosen = n - 1;
    for (let i = 0; i < n; i++) {
      target -= nearest[i]!;
      if (target < 0) {
        chosen = i;
        break;
      }
    }
  }
  return centres;
}

/** Before quantising a training batch: the codebook to use (initialised from `flat` on first use). */
export function prepareCodebook(codebook: tf.Tensor, flat: tf.Tensor2D, seed: number, assign: (v: tf.Tensor) => void): void {
  const [codes, dim] = codebook.shape as [number, number];
  let state = states.get(codebook);
  if (!state) {
    state = { initialised: false, hits: new Float64Array(codes), steps: 0 };
    states.set(codebook, state);
  }
  if (state.initialised) return;
  state.initialised = true;
  if (!atInitialValues(codebook.dataSync() as Float32Array, codes)) return;
  const rng = new Rng(seed);
  const rows = flat.shape[0];
  const take = Math.min(rows, MAX_SEED_VECTORS);
  const order = rng.permutation(rows).subarray(0, take);
  const all = flat.dataSync() as Float32Array;
  const sample = new Float32Array(take * dim);
  order.forEach((row, i) => sample.set(all.subarray(row * dim, (row + 1) * dim), i * dim));
  assign(tf.tensor2d(kmeansPlusPlus(sample, dim, codes, rng), [codes, dim]));
}

/**
 * After quantising a training batch: counts each code's uses; every RESTART_WINDOW steps, moves the
 * codes no vector chose onto distinct random vectors of this batch. Returns how many it moved.
 * `seed` is drawn from the step's randomness; a repeated seed is the same step replayed.
 */
export function restartDeadCodes(codebook: tf.Tensor, flat: tf.Tensor2D, chosen: tf.Tensor, seed: number, assign: (v: tf.Tensor) => void): number {
  const state = states.get(codebook);
  if (!state || state.lastSeed === seed) return 0;
  state.lastSeed = seed;
  for (const code of chosen.dataSync()) state.hits[code]! += 1;
  state.steps += 1;
  if (state.steps < RESTART_WINDOW) return 0;
  const dead: number[] = [];
  state.hits.forEach((hits, code) => hits === 0 && dead.push(code));
  state.hits.fill(0);
  state.steps = 0;
  if (dead.length === 0) return 0;
  const [, dim] = codebook.shape as [number, number];
  const values = (codebook.dataSync() as Float32Array).slice();
  const vectors = flat.dataSync() as Float32Array;
  const rows = flat.shape[0];
  const rng = new Rng(seed);
  const order = rng.permutation(rows);
  dead.forEach((code, i) => {
    const row = order[i % rows]!;
    values.set(vectors.subarray(row * dim, (row + 1) * dim), code * dim);
    // More dead codes than vectors: the copies of one vector are split apart by a little noise.
    if (i >= rows) for (let j = 0; j < dim; j++) values[code * dim + j]! += 1e-3 * rng.normal();
  });
  assign(tf.tensor2d(values, [codebook.shape[0]!, dim]));
  return dead.length;
}

// Keeps a VQ codebook alive during training. A codebook drawn from U(-1/K, 1/K) sits far from the
// encoder's outputs, so the first batch picks a handful of codes, only those move, and the rest are
// never chosen again: on examples/vq-vae 3 of 512 codes were in use (perplexity 1.58). Two remedies,
// as in Jukebox (Dhariwal et al. 2020) and the k-means initialisation of van den Oord et al.:
//   - initialisation from data: on the first training batch a codebook still at its initial
//     values (every entry within 1/K) is replaced by k-means++ seeds drawn from the encoder's outputs;
//   - dead-code restarts: a code chosen by no vector for a window of training steps is moved onto
//     a random encoder output of the current batch.
// How many outputs seed it and how long the window is are the stage plan's (ir/codebook-upkeep.ts).
// The state (usage counts) lives beside the codebook variable for the life of the program, keyed by
// that variable, whichever engine trains it: the tfjs lowering (latent.ts) and the onnx engine
// (runtime/engines/onnx/codebooks.ts) call the same array functions below with the same seeds, so
// both move the same codes to the same vectors. Checkpoints carry it (codebookStates), so a resumed
// run restarts the codes an uninterrupted one would.
import * as tf from '@tensorflow/tfjs-core';
import type { IRCodebookUpkeep } from '../../../ir/types.js';
import { Rng } from '../rng.js';

/** A plan's upkeep of one codebook, without the node it names. */
export type Upkeep = Pick<IRCodebookUpkeep, 'seedVectors' | 'restartEvery'>;

export interface CodebookState {
  initialised: boolean;
  hits: Float64Array;
  steps: number;
  /** The seed of the last counted step: a forward pass replayed with the same randomness (a
   *  gradient check, a re-evaluation) is that step again, not a new one, and must not move codes. */
  lastSeed?: number;
}

const states = new WeakMap<object, CodebookState>();

/** The upkeep state of the codebook stored in `variable` (made on first use). */
export function codebookState(variable: object, codes: number): CodebookState {
  let state = states.get(variable);
  if (!state) {
    state = { initialised: false, hits: new Float64Array(codes), steps: 0 };
    states.set(variable, state);
  }
  return state;
}

/** True while every entry is within the U(-1/K, 1/K) initialiser's bound: never trained. */
function atInitialValues(codebook: Float32Array, codes: number): boolean {
  const bound = 1 / codes + 1e-7;
  for (const v of codebook) if (Math.abs(v) > bound) return false;
  return true;
}

/** Whether `seedCodebook` would replace this codebook (first use, still at its initial values). */
export function needsSeeding(state: CodebookState, codebook: Float32Array, codes: number): boolean {
  return !state.initialised && atInitialValues(codebook, codes);
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

/**
 * Before quantising a training batch: marks the codebook initialised and, on its first use while
 * still at its initial values, writes k-means++ seeds drawn from `flat` (the batch's vectors, rows
 * of `dim`) into `codebook` in place. Returns whether it did.
 */
export function seedCodebook(state: CodebookState, codebook: Float32Array, flat: Float32Array, dim: number, seed: number, upkeep: Upkeep): boolean {
  const codes = codebook.length / dim;
  if (state.initialised) return false;
  state.initialised = true;
  if (!atInitialValues(codebook, codes)) return false;
  const rng = new Rng(seed);
  const rows = flat.length / dim;
  const take = Math.min(rows, upkeep.seedVectors);
  const order = rng.permutation(rows).subarray(0, take);
  const sample = new Float32Array(take * dim);
  order.forEach((row, i) => sample.set(flat.subarray(row * dim, (row + 1) * dim), i * dim));
  codebook.set(kmeansPlusPlus(sample, dim, codes, rng));
  return true;
}

/**
 * After quantising a training batch: counts each code's uses (`chosen`); at the end of every
 * `upkeep.restartEvery` steps, the codes no vector chose in it (else null). `seed` is drawn from the
 * step's randomness; a repeated seed is the same step replayed, not counted again.
 */
export function countUses(state: CodebookState, chosen: ArrayLike<number>, seed: number, upkeep: Upkeep): number[] | null {
  if (state.lastSeed === seed) return null;
  state.lastSeed = seed;
  for (let i = 0; i < chosen.length; i++) state.hits[chosen[i]!]! += 1;
  state.steps += 1;
  if (state.steps < upkeep.restartEvery) return null;
  const dead: number[] = [];
  state.hits.forEach((hits, code) => hits === 0 && dead.push(code));
  state.hits.fill(0);
  state.steps = 0;
  return dead;
}

/** Moves the `dead` codes of `codebook` onto distinct random rows of `flat` (the batch's vectors), in place. */
export function moveDeadCodes(codebook: Float32Array, flat: Float32Array, dead: readonly number[], dim: number, seed: number): void {
  const rows = flat.length / dim;
  const rng = new Rng(seed);
  const order = rng.permutation(rows);
  dead.forEach((code, i) => {
    const row = order[i % rows]!;
    codebook.set(flat.subarray(row * dim, (row + 1) * dim), code * dim);
    // More dead codes than vectors: the copies of one vector are split apart by a little noise.
    if (i >= rows) for (let j = 0; j < dim; j++) codebook[code * dim + j]! += 1e-3 * rng.normal();
  });
}

/** Before quantising a training batch on tfjs: the codebook to use (initialised from `flat` on first use). */
export function prepareCodebook(codebook: tf.Tensor, flat: tf.Tensor2D, seed: number, upkeep: Upkeep, assign: (v: tf.Tensor) => void): void {
  const [codes, dim] = codebook.shape as [number, number];
  const state = codebookState(codebook, codes);
  if (state.initialised) return;
  const values = (codebook.dataSync() as Float32Array).slice();
  if (seedCodebook(state, values, flat.dataSync() as Float32Array, dim, seed, upkeep)) assign(tf.tensor2d(values, [codes, dim]));
}

/**
 * After quantising a training batch on tfjs: counts the uses and, every `restartEvery` steps, moves
 * the dead codes (countUses, moveDeadCodes). Returns how many it moved.
 */
export function restartDeadCodes(codebook: tf.Tensor, flat: tf.Tensor2D, chosen: tf.Tensor, seed: number, upkeep: Upkeep, assign: (v: tf.Tensor) => void): number {
  const state = states.get(codebook);
  if (!state) return 0;
  const dead = countUses(state, chosen.dataSync() as ArrayLike<number>, seed, upkeep);
  if (!dead || dead.length === 0) return 0;
  const [codes, dim] = codebook.shape as [number, number];
  const values = (codebook.dataSync() as Float32Array).slice();
  moveDeadCodes(values, flat.dataSync() as Float32Array, dead, dim, seed);
  assign(tf.tensor2d(values, [codes, dim]));
  return dead.length;
}

/** What a checkpoint stores of one codebook's upkeep (state.json, under `codebooks`). */
export interface StoredCodebookState {
  initialised: boolean;
  steps: number;
  lastSeed: number | null;
  hits: number[];
}

/** The upkeep state of every codebook among `variables` that has one, by parameter id. */
export function codebookStates(variables: ReadonlyMap<string, object>): Record<string, StoredCodebookState> {
  const out: Record<string, StoredCodebookState> = {};
  for (const [id, variable] of variables) {
    const state = states.get(variable);
    if (state) out[id] = { initialised: state.initialised, steps: state.steps, lastSeed: state.lastSeed ?? null, hits: Array.from(state.hits) };
  }
  return out;
}

/** Puts back what codebookStates stored (a resumed run); `fail` reports a malformed entry. */
export function restoreCodebookStates(variables: ReadonlyMap<string, tf.Variable>, stored: unknown, fail: (what: string) => never): void {
  if (stored === undefined) return; // a checkpoint of an aelang before codebook states were kept
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) fail('`codebooks` must be an object');
  for (const [id, raw] of Object.entries(stored as Record<string, unknown>)) {
    const variable = variables.get(id);
    const s = raw as Partial<StoredCodebookState> | null;
    if (!variable || variable.rank !== 2) fail(`\`codebooks\` names '${id}', not a codebook of this model`);
    const codes = variable.shape[0]!;
    const valid =
      s !== null &&
      typeof s === 'object' &&
      typeof s.initialised === 'boolean' &&
      Number.isSafeInteger(s.steps) &&
      s.steps! >= 0 &&
      (s.lastSeed === null || Number.isSafeInteger(s.lastSeed)) &&
      Array.isArray(s.hits) &&
      s.hits.length === codes &&
      s.hits.every((h) => Number.isSafeInteger(h) && h >= 0);
    if (!valid) fail(`\`codebooks.${id}\` is not a codebook state of ${codes} codes`);
    states.set(variable, { initialised: s.initialised!, steps: s.steps!, hits: Float64Array.from(s.hits!), ...(s.lastSeed !== null ? { lastSeed: s.lastSeed! } : {}) });
  }
}

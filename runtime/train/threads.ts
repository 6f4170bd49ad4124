// How many threads a model trains on when neither --threads nor AE_THREADS says: one for a small
// model, every core otherwise. A step of a small model is too short to share: handing work to the
// other threads and waiting for them costs more than it saves (issue 22: a small tabular model ran
// 3,300–3,900 samples/s on 2 threads and 27,000 with `--threads 1`).
import { availableParallelism } from 'node:os';
import type { IRModel } from '../../ir/types.js';

/** Below this many multiply-adds per sample (a 784-512-256 dense stack is 0.5 million) a model
 *  trains on one thread. */
export const SMALL_MODEL_MULTIPLY_ADDS = 1_000_000;

/** Multiply-adds per sample of the weighted layers: each output position times its kernel's size. */
export function multiplyAddsPerSample(ir: IRModel): number {
  const parameters = new Map(ir.parameters.map((p) => [p.id, p]));
  let total = 0;
  for (const node of ir.nodes) {
    const kernelId = node.params?.kernel;
    const kernel = kernelId === undefined ? undefined : parameters.get(kernelId);
    if (!kernel) continue;
    const positions = node.shape.slice(1, -1).reduce<number>((n, d) => n * (d ?? 1), 1);
    total += positions * kernel.shape.reduce((a, b) => a * b, 1);
  }
  return total;
}

/** The default thread count for training `ir`. */
export function defaultThreads(ir: IRModel, cores = availableParallelism()): number {
  return multiplyAddsPerSample(ir) < SMALL_MODEL_MULTIPLY_ADDS ? 1 : cores;
}

import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';

/**
 * tfjs-core's Node bundle registers no gradient functions: they live in
 * `@tensorflow/tfjs-core/dist/register_all_gradients.js`, an ES module with extensionless relative
 * imports that Node cannot load. `tfjs-gradients.generated.cjs` is that same table bundled into
 * one CommonJS file (scripts/gradient-table.mjs writes it); requiring it registers every gradient
 * tfjs-core defines into tfjs-core's global gradient registry, for every backend. (tfjs-layers did
 * the same on import, at 31 MB installed.)
 */
export function ensureGradientsRegistered(): void {
  if (gradientsRegistered()) return;
  createRequire(import.meta.url)('./tfjs-gradients.generated.cjs');
  if (!gradientsRegistered()) {
    throw new Error('tfjs gradient functions are not registered (loading tfjs-gradients.generated.cjs did not register them)');
  }
}

/** Spot-checks kernels whose gradients every training step needs. */
function gradientsRegistered(): boolean {
  return ['Sum', 'BatchMatMul', 'Conv2D', 'MaxPool'].every((kernel) => tf.getGradient(kernel) != null);
}

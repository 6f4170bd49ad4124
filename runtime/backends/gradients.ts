import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';

/**
 * tfjs-core's Node bundle registers no gradient functions: they live in
 * `@tensorflow/tfjs-core/dist/register_all_gradients.js`, an ES module with extensionless relative
 * imports that Node cannot load. tfjs-layers' Node bundle carries the same gradient table (same
 * 4.22 sources) and registers it into tfjs-core's global gradient registry on import, so that is
 * how the runtime gets `tf.grad`/`tf.variableGrads` working on every backend.
 */
export async function ensureGradientsRegistered(): Promise<void> {
  if (gradientsRegistered()) return;
  // Required, not imported: only its side effect is wanted, and import() first has Node scan the
  // 1.5 MB CommonJS bundle for export names (~250 ms of `ae train`'s start, against ~50 ms).
  createRequire(import.meta.url)('@tensorflow/tfjs-layers');
  if (!gradientsRegistered()) {
    throw new Error('tfjs gradient functions are not registered (importing @tensorflow/tfjs-layers did not register them)');
  }
}

/** Spot-checks kernels whose gradients every training step needs. */
function gradientsRegistered(): boolean {
  return ['Sum', 'BatchMatMul', 'Conv2D', 'MaxPool'].every((kernel) => tf.getGradient(kernel) != null);
}

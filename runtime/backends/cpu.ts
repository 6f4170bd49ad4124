import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import type { ProbeOutcome } from './probe.js';

/** Pure-JS reference backend; always present (a hard dependency). */
export async function probeCpu(): Promise<ProbeOutcome> {
  createRequire(import.meta.url)('@tensorflow/tfjs-backend-cpu'); // required: see gradients.ts
  return { ok: true, detail: 'pure JS reference' };
}

/**
 * tfjs-backend-cpu prints "Hi, looks like you are running TensorFlow.js in Node.js… install our node
 * backend" to stderr on its first tensor, whichever backend is chosen (the others borrow its
 * kernels), and `--quiet` or not. aelang says which backend it took and why (`backend: …`), so
 * the banner is only noise: the one cpu backend instance is made now (tfjs keeps it) with its
 * first use spent. Not `tf.enableProdMode()`, which would silence every tfjs warning of the
 * process, the user's own included.
 */
export function silenceCpuBanner(): void {
  const cpu = tf.findBackend('cpu') as (tf.KernelBackend & { firstUse?: boolean }) | null;
  if (cpu) cpu.firstUse = false;
}

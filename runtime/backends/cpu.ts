import { createRequire } from 'node:module';
import type { ProbeOutcome } from './probe.js';

/** Pure-JS reference backend; always present (a hard dependency). */
export async function probeCpu(): Promise<ProbeOutcome> {
  createRequire(import.meta.url)('@tensorflow/tfjs-backend-cpu'); // required: see gradients.ts
  return { ok: true, detail: 'pure JS reference' };
}

import type { ProbeOutcome } from './probe.js';

/** Pure-JS reference backend; always present (a hard dependency). */
export async function probeCpu(): Promise<ProbeOutcome> {
  await import('@tensorflow/tfjs-backend-cpu');
  return { ok: true, detail: 'pure JS reference' };
}

import * as tf from '@tensorflow/tfjs-core';
import { firstLine, isInstalled } from './packages.js';
import type { ProbeOutcome } from './probe.js';

/**
 * libtensorflow through tfjs-node: the GPU build (CUDA) first, then the CPU build.
 * Both are optional peers: their installers download libtensorflow from outside npm,
 * so they cannot be hard dependencies.
 */
const PACKAGES = [
  { name: '@tensorflow/tfjs-node-gpu', detail: 'libtensorflow, CUDA' },
  { name: '@tensorflow/tfjs-node', detail: 'libtensorflow, CPU' },
] as const;

export async function probeTensorflow(): Promise<ProbeOutcome> {
  const reasons: string[] = [];
  for (const candidate of PACKAGES) {
    if (!isInstalled(candidate.name)) {
      reasons.push(`${candidate.name} not installed`);
      continue;
    }
    try {
      await import(candidate.name);
    } catch (error) {
      // Typically a missing or mismatched libtensorflow / CUDA shared library.
      reasons.push(`${candidate.name} failed to load (${firstLine(error)})`);
      continue;
    }
    if (tf.findBackendFactory('tensorflow') == null) {
      reasons.push(`${candidate.name} loaded but registered no 'tensorflow' backend`);
      continue;
    }
    return { ok: true, detail: candidate.detail, info: { package: candidate.name } };
  }
  return { ok: false, why: reasons.join(', ') };
}

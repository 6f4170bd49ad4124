import type * as tf from '@tensorflow/tfjs-core';

/**
 * The kernels a backend's tfjs package registered before the runtime replaced them. A replacement
 * that only has to route around one wrong case delegates the rest to the original; tests put the
 * originals back (withTfjsKernels) to prove the conformance suite catches what each fixes.
 */
const originals = new Map<string, tf.KernelConfig>();

const key = (kernelName: string, backendName: string) => `${backendName}/${kernelName}`;

export function rememberOriginal(config: tf.KernelConfig): void {
  const at = key(config.kernelName, config.backendName);
  if (!originals.has(at)) originals.set(at, config);
}

export function originalKernel(kernelName: string, backendName: string): tf.KernelConfig {
  const config = originals.get(key(kernelName, backendName));
  if (config == null) throw new Error(`no original '${kernelName}' kernel recorded for ${backendName}`);
  return config;
}

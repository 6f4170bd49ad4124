// Every runtime test runs on the pure-JS cpu backend with gradients registered.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { ensureGradientsRegistered } from '../../runtime/backends/gradients.js';

export async function useCpu(): Promise<void> {
  await ensureGradientsRegistered();
  await tf.setBackend('cpu');
  await tf.ready();
}

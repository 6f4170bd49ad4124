// Run as a child process by wasm-threads.test.ts (the wasm thread count is fixed per process):
// one dense and one conv training computation on wasm with AE_THREADS threads, then on cpu, and
// the largest relative difference. Prints one JSON line.
import * as tf from '@tensorflow/tfjs-core';
import { describeBackend, selectBackend } from '../../runtime/backends/index.js';
import { mulberry32 } from '../../runtime/random.js';

function seeded(shape: number[], seed: number): tf.Tensor {
  const next = mulberry32(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => next() * 2 - 1), shape);
}

function compute(): Float32Array[] {
  return tf.tidy(() => {
    const x = seeded([64, 300], 1) as tf.Tensor2D;
    const w = seeded([300, 200], 2) as tf.Tensor2D;
    const image = seeded([8, 14, 14, 4], 3) as tf.Tensor4D;
    const filter = seeded([3, 3, 4, 16], 4) as tf.Tensor4D;
    const dense = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.relu(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D)))));
    const conv = tf.grads((a: tf.Tensor, f: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, 1, 'same'))));
    return [...dense([x, w]), ...conv([image, filter])].map((t) => t.dataSync() as Float32Array);
  });
}

await selectBackend('wasm'); // the thread count comes from AE_THREADS
const description = await describeBackend();
const onWasm = compute();
await selectBackend('cpu');
const onCpu = compute();
let worst = 0;
onWasm.forEach((values, i) => {
  const reference = onCpu[i]!;
  const scale = Math.max(...reference.map(Math.abs));
  values.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - reference[j]!) / scale)));
});
console.log(JSON.stringify({ detail: description.detail, threads: description.wasm?.threads, worst }));

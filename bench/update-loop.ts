// The onnx engine's optimiser update per parameter: its WebAssembly SIMD loops (runtime/engines/
// onnx/update.ts) beside the plain JS loop they replaced, Adam on the README's main job's 437,664
// parameters (its twelve arrays), in the same process, interleaved. Prints ns per parameter.
//
//   node --import tsx bench/update-loop.ts [--reps 7] [--steps 200]
import { parseArgs } from 'node:util';
import type { Optimizer } from '../ir/types.js';
import { UpdateArena } from '../runtime/engines/onnx/update.js';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '7' }, steps: { type: 'string', default: '200' } } });
const reps = Number(values.reps);
const steps = Number(values.steps);
const spec: Optimizer & { kind: 'adam' } = { kind: 'adam', lr: 2e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 };
const sizes = [200704, 256, 16384, 64, 1024, 16, 1024, 64, 16384, 256, 200704, 784];
const total = sizes.reduce((a, b) => a + b, 0);

/** The loop update.ts ran before its SIMD kernels, for the comparison. */
function adamInJs(step: number, w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array): void {
  const correction = Math.sqrt(1 - Math.pow(spec.beta2, step));
  const lrT = (spec.lr * correction) / (1 - Math.pow(spec.beta1, step));
  const epsT = spec.epsilon * correction;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const mi = (m[i] = spec.beta1 * m[i]! + (1 - spec.beta1) * gi);
    const vi = (v[i] = spec.beta2 * v[i]! + (1 - spec.beta2) * gi * gi);
    w[i] = w[i]! - (lrT * mi) / (Math.sqrt(vi) + epsT);
  }
}

const arena = new UpdateArena(sizes.flatMap((n) => [n, n, n, n]));
const simd = sizes.map((n) => ({ weight: arena.take(n).fill(0.1), gradient: arena.take(n).fill(0.01), slots: [arena.take(n), arena.take(n)], decayed: true }));
const js = sizes.map((n) => ({ w: new Float32Array(n).fill(0.1), g: new Float32Array(n).fill(0.01), m: new Float32Array(n), v: new Float32Array(n) }));

const ways: Record<string, (step: number) => void> = {
  'wasm simd': (step) => simd.forEach((p) => arena.apply(spec, step, spec.lr, p)),
  'plain js': (step) => js.forEach((p) => adamInJs(step, p.w, p.g, p.m, p.v)),
};
const times = new Map<string, number[]>();
for (let r = 0; r < reps; r++) {
  for (const [name, run] of Object.entries(ways)) {
    const started = performance.now();
    for (let s = 1; s <= steps; s++) run(s);
    times.set(name, [...(times.get(name) ?? []), ((performance.now() - started) * 1e6) / steps / total]);
  }
}
console.log(`adam over ${total.toLocaleString('en')} parameters, ${steps} steps × ${reps} repetitions (median ns per parameter)`);
for (const [name, list] of times) {
  const sorted = [...list].sort((a, b) => a - b);
  console.log(`${name.padEnd(10)} ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} ns  (${((sorted[Math.floor(sorted.length / 2)]! * total) / 1e6).toFixed(2)} ms a step)`);
}

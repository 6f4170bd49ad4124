// Sequence ops in the runtime: LSTM equal to tfjs-layers' Keras LSTM with the same weights (gate
// order i, f, c, o), GRU equal to Keras's reset-after equations written out here, and a 512-step
// window training in bounded memory (no tensor left behind by the unrolled steps).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
// tfjs-layers calls tensor methods (x.flatten()), which aelang's runtime never registers.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from '../../runtime/optim/optimizer.js';
import { buildProgram } from '../../runtime/program/program.js';
import { Rng } from '../../runtime/program/rng.js';
import { trainStep } from '../../runtime/train/step.js';
import { compile } from '../gradcheck/finite-differences.js';
import { random } from '../export/models.js';
import { useCpu } from '../runtime/setup.js';

beforeAll(useCpu);

const recurrentModel = (layer: string, t: number, c: number) =>
  compile(`model m {
  input s: [${t}, ${c}]
  encoder { ${layer} }
  latent z = identity
  decoder { ${layer.includes('sequences = true') ? '' : `repeat_vector(${t}), `}dense(${c}, per_step = true) }
  output s_hat = linear
  loss = mse(s_hat, s)
}`);

/** Seeded values in [-1, 1) for every stored parameter and a batch of inputs. */
function seeded(shape: number[], next: () => number): Float32Array {
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 2 * next() - 1);
}

function runLayer(layer: string, t: number, c: number, batch: number) {
  const ir = recurrentModel(layer, t, c);
  const program = buildProgram(ir, { seed: 1 });
  const next = random(11);
  const weights = new Map<string, Float32Array>();
  for (const p of ir.parameters.filter((p) => p.node === 'encoder.0.' + layer.split('(')[0])) {
    const values = seeded(p.shape, next);
    program.variables.get(p.id)!.assign(tf.tensor(values, p.shape));
    weights.set(p.role, values);
  }
  const x = seeded([batch, t, c], next);
  const outputs = program.forward({ s: tf.tensor(x, [batch, t, c]) }, { training: false });
  const node = ir.nodes[0]!;
  const y = outputs.get(node.id)!;
  const result = { x, weights, y: Array.from(y.dataSync()), shape: y.shape, program };
  return result;
}

describe('lstm', () => {
  it.each([false, true])('equals Keras’s LSTM (tfjs-layers) with the same weights, sequences = %s', (sequences) => {
    const [t, c, u, batch] = [7, 3, 4, 2];
    const run = runLayer(`lstm(${u}, sequences = ${sequences})`, t, c, batch);
    const keras = tfl.layers.lstm({ units: u, returnSequences: sequences, recurrentActivation: 'sigmoid', inputShape: [t, c] });
    (keras.apply(tf.zeros([1, t, c])) as tf.Tensor).dispose(); // builds its weights
    keras.setWeights([tf.tensor(run.weights.get('kernel')!, [c, 4 * u]), tf.tensor(run.weights.get('recurrent_kernel')!, [u, 4 * u]), tf.tensor(run.weights.get('bias')!, [4 * u])]);
    const expected = keras.apply(tf.tensor(run.x, [batch, t, c])) as tf.Tensor;
    expect(run.shape).toEqual(sequences ? [batch, t, u] : [batch, u]);
    const difference = Math.max(...Array.from(expected.dataSync()).map((v, i) => Math.abs(v - run.y[i]!)));
    expect(difference).toBeLessThan(1e-5);
    run.program.dispose();
  });
});

describe('gru', () => {
  it('equals Keras’s reset-after GRU equations: z, r, h gates, h = z·h₋₁ + (1 − z)·h̃', () => {
    const [t, c, u, batch] = [6, 2, 3, 2];
    const run = runLayer(`gru(${u}, sequences = true)`, t, c, batch);
    const W = run.weights.get('kernel')!; // [c, 3u]
    const U = run.weights.get('recurrent_kernel')!; // [u, 3u]
    const b = run.weights.get('bias')!; // [2, 3u]
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    const expected: number[] = [];
    for (let n = 0; n < batch; n++) {
      let h = new Array<number>(u).fill(0);
      const states: number[][] = [];
      for (let s = 0; s < t; s++) {
        const xw = (g: number) => b[g]! + Array.from({ length: c }, (_, i) => run.x[(n * t + s) * c + i]! * W[i * 3 * u + g]!).reduce((p, q) => p + q, 0);
        const hu = (g: number) => b[3 * u + g]! + Array.from({ length: u }, (_, i) => h[i]! * U[i * 3 * u + g]!).reduce((p, q) => p + q, 0);
        h = Array.from({ length: u }, (_, j) => {
          const z = sigmoid(xw(j) + hu(j));
          const r = sigmoid(xw(u + j) + hu(u + j));
          const candidate = Math.tanh(xw(2 * u + j) + r * hu(2 * u + j));
          return z * h[j]! + (1 - z) * candidate;
        });
        states.push(h);
      }
      expected.push(...states.flat());
    }
    expect(run.shape).toEqual([batch, t, u]);
    const difference = Math.max(...expected.map((v, i) => Math.abs(v - run.y[i]!)));
    expect(difference).toBeLessThan(1e-5);
    run.program.dispose();
  });
});

describe('a one-step sequence', () => {
  it.each(['lstm(3)', 'gru(3, sequences = true)'])('%s differentiates (tfjs’s unstack gradient needs two outputs)', (layer) => {
    const ir = recurrentModel(layer, 1, 2);
    const program = buildProgram(ir, { seed: 2 });
    const s = tf.tensor([[[0.5, -1]], [[2, 1]]]);
    const { value, grads } = tf.variableGrads(() => tf.sum(program.forward({ s }, { training: true }).get(ir.outputs.reconstruction)!) as tf.Scalar);
    const kernel = grads[program.variables.get(`encoder.0.${layer.split('(')[0]}.kernel`)!.name]!;
    expect(Number.isFinite(value.dataSync()[0]!)).toBe(true);
    expect(Array.from(kernel.dataSync()).some((g) => g !== 0)).toBe(true);
    program.dispose();
  });
});

describe('a 512-step window', () => {
  it('trains with every step’s tensors released: memory stays the same across steps', () => {
    const ir = compile(`model long {
  input s: [512, 2]
  encoder { conv1d(3, kernel = 8, stride = 8, act = tanh), gru(4) }
  latent z = dense(2)
  decoder { repeat_vector(512), lstm(3, sequences = true), dense(2, per_step = true) }
  output s_hat = linear
  loss = mse(s_hat, s)
}`);
    const program = buildProgram(ir, { seed: 5 });
    const optimizer = createOptimizer({ kind: 'adam', lr: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 }, new Set());
    const trainable = [...program.variables.keys()];
    const next = random(4);
    // A slow sine per channel with noise: something to reconstruct.
    const values = Float32Array.from({ length: 2 * 512 * 2 }, (_, i) => Math.sin(((i >> 1) % 512) / 20 + (i & 1)) + 0.1 * (next() - 0.5));
    const s = tf.tensor(values, [2, 512, 2]);
    const rng = new Rng(1);
    const losses: number[] = [];
    const step = () => losses.push(trainStep({ program, objective: ir.objective, optimizer, trainable, inputs: { s }, rng }).loss);
    step(); // creates the optimiser's slots
    const before = tf.memory();
    step();
    step();
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[2]!).toBeLessThan(losses[0]!);
    program.dispose();
    optimizer.dispose();
    s.dispose();
  }, 60_000);
});

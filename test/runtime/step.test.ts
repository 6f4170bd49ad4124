import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from '../../runtime/optim/optimizer.js';
import { buildProgram } from '../../runtime/program/program.js';
import { Rng } from '../../runtime/program/rng.js';
import { trainStep } from '../../runtime/train/step.js';
import { adam, mlpAutoencoder } from './ir-builders.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

function batch(seed: number, n = 8, width = 6): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor2d(Array.from({ length: n * width }, () => rng.next()), [n, width]);
}

describe('train step', () => {
  it('leaks no tensors across steps and lowers the loss', () => {
    const ir = mlpAutoencoder({ inputWidth: 6, hidden: [5], code: 2, output: 'sigmoid', tied: true });
    const program = buildProgram(ir, { seed: 3 });
    const optimizer = createOptimizer(adam(1e-2), new Set());
    const trainable = [...program.variables.keys()];
    const x = batch(1);
    const rng = new Rng(1);
    const losses: number[] = [];
    const step = () => losses.push(trainStep({ program, objective: ir.objective, optimizer, trainable, inputs: { x }, rng }).loss);
    step(); // the first step creates the optimiser's slots
    const before = tf.memory().numTensors;
    for (let i = 0; i < 30; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    program.dispose();
    optimizer.dispose();
    x.dispose();
  });
});

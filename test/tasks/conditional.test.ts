// A conditional VAE trained on two classes whose halves light up in turn: sampling with
// `condition` generates the chosen class, interpolation decodes its path as that class, and the
// condition's misuses are TaskErrors with their catalogue codes (AE6001, AE6002).
import { beforeAll, describe, expect, it } from 'vitest';
import type { InMemoryDataset } from '../../runtime/data/index.js';
import { Rng } from '../../runtime/program/rng.js';
import { interpolate, sample, TaskError, userErrorMessage, type LoadedRun } from '../../runtime/tasks/index.js';
import { batchInputs, modelInputs } from '../../runtime/train/batches.js';
import { useCpu } from '../runtime/setup.js';
import { columnMeans, curveDataset, trainRun } from './helpers.js';

beforeAll(useCpu);

const CVAE = `model cvae {
  input x: [8] in [0, 1]
  input y: label(2)
  encoder on x, y { dense(16, act = tanh) }
  latent z = gaussian(1)
  decoder on z, y { dense(16, act = tanh), dense(8) }
  output x_hat = sigmoid
  loss = bce(x_hat, x, reduce = sum) + kl(z)
  train { epochs = 30, batch = 32, optimizer = adam(lr = 1e-2) }
}`;

/** Class 0 lights the first four features, class 1 the last four. */
function halves(count: number): InMemoryDataset {
  const rng = new Rng(5);
  const x = new Float32Array(count * 8);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    labels[n] = n % 2;
    for (let d = 0; d < 8; d++) x[n * 8 + d] = Math.min(1, Math.max(0, ((d < 4) === (labels[n] === 0) ? 0.9 : 0.1) + 0.05 * rng.normal()));
  }
  return { name: 'halves', count, sampleShape: [8], x, labels };
}

const data = halves(300);
let cvae: LoadedRun;

beforeAll(async () => {
  cvae = await trainRun(CVAE, data);
});

/** Mean of the first four and of the last four features over the samples. */
function halfMeans(values: Float32Array, count: number): [number, number] {
  const means = columnMeans(values, count);
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return [avg(means.slice(0, 4)), avg(means.slice(4))];
}

describe('conditional generation', () => {
  it('generates the class it is given', () => {
    const [zeroFirst, zeroLast] = halfMeans(sample(cvae.program, { count: 200, seed: 1, condition: 0 }).samples.values, 200);
    const [oneFirst, oneLast] = halfMeans(sample(cvae.program, { count: 200, seed: 1, condition: 1 }).samples.values, 200);
    expect(zeroFirst).toBeGreaterThan(0.7);
    expect(zeroLast).toBeLessThan(0.3);
    expect(oneFirst).toBeLessThan(0.3);
    expect(oneLast).toBeGreaterThan(0.7);
  });

  it('interpolates between two inputs (each encoded with its own label) decoded as the given class', () => {
    const path = interpolate(cvae.program, data, { from: 0, to: 2, steps: 4, condition: 1 });
    expect(path.samples.shape).toEqual([4, 8]);
    const [first, last] = halfMeans(path.samples.values, 4);
    expect(last).toBeGreaterThan(first);
  });
});

describe('condition misuse', () => {
  const failure = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(TaskError);
      return userErrorMessage(error);
    }
    throw new Error('expected a TaskError');
  };

  it('AE6001 when a conditional model gets no condition', () => {
    expect(failure(() => sample(cvae.program, { count: 4 }))).toBe(
      "error AE6001: the decoder of 'cvae' reads the label 'y' (2 classes) beside the code: give the class to generate with --condition N (0..1)",
    );
    expect(failure(() => interpolate(cvae.program, data, { from: 0, to: 1 }))).toMatch(/^error AE6001: /);
  });

  it('AE6002 for a class the label does not have', () => {
    expect(failure(() => sample(cvae.program, { count: 4, condition: 2 }))).toBe("error AE6002: --condition 2 is not a class of label 'y' (0..1)");
  });

  it('refuses data without labels for a model that reads them', () => {
    const unlabelled = { ...curveDataset(4, 8), labels: undefined };
    expect(() => batchInputs(unlabelled, modelInputs(cvae.ir), null, 0, 4)).toThrow("the model reads the label 'y' as a condition (`on ..., y`), but curve has no labels");
  });
});

describe('an unconditional model', () => {
  it('AE6002 when given a condition', async () => {
    const vae = await trainRun(CVAE.replace(' on x, y', '').replace(' on z, y', '').replace('  input y: label(2)\n', '').replace('epochs = 30', 'epochs = 1'), data);
    expect(() => sample(vae.program, { count: 2, condition: 1 })).toThrow(/has no condition/);
    vae.program.dispose();
  });
});

// Objective terms against plain-JS references; contractive against a finite-difference Jacobian.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IRModel, IRNode, IRParameter, IRTerm } from '../../ir/types.js';
import { computeObjective, termNames } from '../../runtime/objective/objective.js';
import { buildProgram, type Program } from '../../runtime/program/program.js';
import { act, mlpAutoencoder, param } from './ir-builders.js';
import { randomArray, sigmoid } from './reference.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

/** Evaluates `term` with `values` standing in for the forward outputs. */
function termValue(term: IRTerm, values: Record<string, tf.Tensor>, program?: Program): number {
  const ir = program?.ir ?? mlpAutoencoder({ inputWidth: 2, code: 1 });
  const p = program ?? buildProgram(ir, { seed: 1 });
  const value = computeObjective([term], ir, p.parameters, new Map(Object.entries(values))).total.dataSync()[0]!;
  if (!program) p.dispose();
  return value;
}

const t = (values: number[], shape: number[]) => tf.tensor(values, shape);

describe('reconstruction terms', () => {
  const a = [0.2, 0.7, 0.1, 0.9];
  const b = [0, 1, 0.5, 1];

  it('mse: mean over elements, or summed per sample and averaged over the batch', () => {
    const sq = a.map((v, i) => (v - b[i]!) ** 2);
    const mean = termValue({ fn: 'mse', weight: 1, args: ['p', 'q'], options: { reduce: 'mean' } }, { p: t(a, [2, 2]), q: t(b, [2, 2]) });
    const sum = termValue({ fn: 'mse', weight: 1, args: ['p', 'q'], options: { reduce: 'sum' } }, { p: t(a, [2, 2]), q: t(b, [2, 2]) });
    expect(mean).toBeCloseTo(sq.reduce((x, y) => x + y) / 4, 6);
    expect(sum).toBeCloseTo(sq.reduce((x, y) => x + y) / 2, 6);
  });

  it('bce on probabilities and from logits agree, and logits stay finite at extremes', () => {
    const logits = [-2, 0.5, 1.5, 3];
    const probs = logits.map(sigmoid);
    const reference = probs.reduce((s, p, i) => s - (b[i]! * Math.log(p) + (1 - b[i]!) * Math.log(1 - p)), 0) / 4;
    const plain = termValue({ fn: 'bce', weight: 1, args: ['p', 'x'], options: { reduce: 'mean' } }, { p: t(probs, [2, 2]), x: t(b, [2, 2]) });
    const fromLogits = termValue(
      { fn: 'bce', weight: 1, args: ['p', 'x'], options: { reduce: 'mean', fromLogits: 'l' } },
      { p: t(probs, [2, 2]), l: t(logits, [2, 2]), x: t(b, [2, 2]) },
    );
    expect(plain).toBeCloseTo(reference, 5);
    expect(fromLogits).toBeCloseTo(reference, 5);
    const extreme = termValue(
      { fn: 'bce', weight: 1, args: ['p', 'x'], options: { reduce: 'sum', fromLogits: 'l' } },
      { p: t([1, 0], [1, 2]), l: t([200, -300], [1, 2]), x: t([0, 1], [1, 2]) },
    );
    expect(extreme).toBeCloseTo(500, 3);
  });

  it('cross_entropy against integer labels, from probabilities and from logits', () => {
    const logits = [1, 2, 0.5, -1, 0, 3];
    const labels = [1, 2];
    const logSoftmax = (row: number[]) => {
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
      return row.map((v) => v - lse);
    };
    const rows = [logSoftmax(logits.slice(0, 3)), logSoftmax(logits.slice(3))];
    const reference = -(rows[0]![1]! + rows[1]![2]!) / 2;
    const y = tf.tensor1d(labels, 'int32');
    const probs = tf.softmax(t(logits, [2, 3]));
    expect(termValue({ fn: 'cross_entropy', weight: 1, args: ['p', 'y'], options: { reduce: 'mean' } }, { p: probs, y })).toBeCloseTo(reference, 5);
    expect(
      termValue({ fn: 'cross_entropy', weight: 1, args: ['p', 'y'], options: { reduce: 'mean', fromLogits: 'l' } }, { p: probs, l: t(logits, [2, 3]), y }),
    ).toBeCloseTo(reference, 5);
  });

  it('l1 and l2 activity penalties', () => {
    const h = [1, -2, 3, -4];
    expect(termValue({ fn: 'l1', weight: 1, args: ['h'], options: { reduce: 'sum' } }, { h: t(h, [2, 2]) })).toBeCloseTo(5, 6);
    expect(termValue({ fn: 'l2', weight: 1, args: ['h'], options: { reduce: 'mean' } }, { h: t(h, [2, 2]) })).toBeCloseTo(7.5, 6);
  });
});

describe('regularisers', () => {
  it('kl of a gaussian against N(0, I)', () => {
    const mean = [0.5, -1, 0, 2];
    const logvar = [0, 0.5, -1, 1];
    const perUnit = mean.map((m, i) => -0.5 * (1 + logvar[i]! - m * m - Math.exp(logvar[i]!)));
    const value = termValue(
      { fn: 'kl', weight: 1, args: ['z'], options: { reduce: 'sum', mean: 'm', logvar: 'v' } },
      { m: t(mean, [2, 2]), v: t(logvar, [2, 2]) },
    );
    expect(value).toBeCloseTo(perUnit.reduce((a, b) => a + b) / 2, 5);
  });

  it('kl_sparsity of mean activations', () => {
    const h = [0.1, 0.5, 0.3, 0.7]; // unit means 0.2 and 0.6
    const kl = (rho: number, r: number) => rho * Math.log(rho / r) + (1 - rho) * Math.log((1 - rho) / (1 - r));
    const value = termValue({ fn: 'kl_sparsity', weight: 1, args: ['h'], options: { reduce: 'sum', rho: 0.05 } }, { h: t(h, [2, 2]) });
    expect(value).toBeCloseTo(kl(0.05, 0.2) + kl(0.05, 0.6), 5);
  });

  it('weight_decay sums the squares of stored kernels once (tied ones too), not biases', () => {
    const ir = mlpAutoencoder({ inputWidth: 3, code: 2, tied: true });
    const program = buildProgram(ir, { seed: 3 });
    const kernel = Array.from(program.variables.get('z.kernel')!.dataSync());
    const value = termValue({ fn: 'weight_decay', weight: 1, args: [], options: { reduce: 'sum' } }, {}, program);
    expect(value).toBeCloseTo(kernel.reduce((s, v) => s + v * v, 0), 5);
    program.dispose();
  });

  it('vq_loss = ‖sg(z_e) − z_q‖² + β‖z_e − sg(z_q)‖², gradients split between codebook and encoder', () => {
    const ze = tf.tensor2d([0.9, 0.8], [1, 2]);
    const zq = tf.tensor2d([1, 1], [1, 2]);
    const ir = {
      ...mlpAutoencoder({ inputWidth: 2, code: 1 }),
      nodes: [{ id: 'q', op: 'vector_quantize', inputs: ['e'], attrs: { codes: 2, dim: 2, commitment: 0.25 }, shape: [null, 2], stage: 'latent' }] as IRNode[],
    } as IRModel;
    const program = buildProgram({ ...ir, parameters: [] }, { seed: 1 });
    const term: IRTerm = { fn: 'vq_loss', weight: 1, args: ['e', 'q:quantized'], options: { reduce: 'sum', commitment: 0.25 } };
    const sq = 0.01 + 0.04;
    expect(termValue(term, { e: ze, 'q:quantized': zq, q: zq }, program)).toBeCloseTo(sq * 1.25, 5);
    const [gradE, gradQ] = tf.grads((e: tf.Tensor, q: tf.Tensor) =>
      computeObjective([term], program.ir, program.parameters, new Map([['e', e], ['q:quantized', q], ['q', q]])).total,
    )([ze, zq]);
    // d/dz_e: β·2(z_e − z_q); d/dz_q: 2(z_q − z_e).
    expect(Array.from(gradE!.dataSync()).map((v) => +v.toFixed(5))).toEqual([-0.05, -0.1]);
    expect(Array.from(gradQ!.dataSync()).map((v) => +v.toFixed(5))).toEqual([0.2, 0.4]);
    program.dispose();
  });
});

describe('contractive', () => {
  function encoder(layers: { units: number; fn: 'sigmoid' | 'tanh' | 'relu' }[], width: number): IRModel {
    const ir = mlpAutoencoder({ inputWidth: width, code: 1 });
    const nodes: IRNode[] = [];
    const parameters: IRParameter[] = [];
    let prev = 'x';
    let inWidth = width;
    layers.forEach((layer, i) => {
      const id = `e${i}`;
      parameters.push(param(id, 'kernel', [inWidth, layer.units], 'glorot_uniform'), param(id, 'bias', [layer.units], 'normal'));
      nodes.push({ id, op: 'dense', inputs: [prev], attrs: { units: layer.units, activation: act(layer.fn), useBias: true }, shape: [null, layer.units], stage: 'encoder', params: { kernel: `${id}.kernel`, bias: `${id}.bias` } } as IRNode);
      prev = id;
      inWidth = layer.units;
    });
    return { ...ir, parameters, nodes };
  }

  /** ‖∂z/∂x‖² per sample by central differences, averaged over the batch. */
  function numericNorm(program: Program, x: number[][], code: string): number {
    let total = 0;
    for (const row of x) {
      const z = (v: number[]) => Array.from(program.forward({ x: tf.tensor2d([v]) }, { training: false }).get(code)!.dataSync());
      for (let i = 0; i < row.length; i++) {
        const up = [...row];
        const down = [...row];
        up[i]! += 1e-2;
        down[i]! -= 1e-2;
        const zu = z(up);
        const zd = z(down);
        total += zu.reduce((s, v, j) => s + ((v - zd[j]!) / 2e-2) ** 2, 0);
      }
    }
    return total / x.length;
  }

  for (const layers of [
    [{ units: 3, fn: 'sigmoid' as const }],
    [{ units: 4, fn: 'tanh' as const }, { units: 3, fn: 'sigmoid' as const }],
    [{ units: 5, fn: 'relu' as const }, { units: 4, fn: 'tanh' as const }, { units: 2, fn: 'sigmoid' as const }],
  ]) {
    it(`matches a finite-difference Jacobian through ${layers.map((l) => `${l.units}×${l.fn}`).join(' → ')}`, () => {
      const ir = encoder(layers, 4);
      const program = buildProgram(ir, { seed: 9 });
      const code = `e${layers.length - 1}`;
      const x = [randomArray(4, 1), randomArray(4, 2), randomArray(4, 3)];
      const value = termValue({ fn: 'contractive', weight: 1, args: [code, 'x'], options: { reduce: 'sum' } }, Object.fromEntries(program.forward({ x: tf.tensor2d(x) }, { training: false })), program);
      expect(value).toBeCloseTo(numericNorm(program, x, code), 3);
      program.dispose();
    });
  }
});

it('terms get readable, unique names', () => {
  expect(
    termNames([
      { fn: 'mse', weight: 1, args: ['x_hat', 'x'], options: { reduce: 'mean' } },
      { fn: 'weight_decay', weight: 1, args: [], options: { reduce: 'sum' } },
      { fn: 'mse', weight: 2, args: ['x_hat', 'x'], options: { reduce: 'sum' } },
    ]),
  ).toEqual(['mse(x_hat, x)', 'weight_decay()', 'mse(x_hat, x)#2']);
});

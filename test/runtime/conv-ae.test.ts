// One training step of small convolutional autoencoders whose decoders grow the map back by
// upsample, unpool(fill) and unpool(switches): the gradients of every parameter (taken through
// variableGrads, as the trainer does) against central finite differences of the loss, then a real
// step that moves the weights and leaks nothing. Batches of 3 catch per-image index mistakes.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IRModel, IRNode, IRParameter, IRTerm } from '../../ir/types.js';
import { computeObjective } from '../../runtime/objective/objective.js';
import { createOptimizer } from '../../runtime/optim/optimizer.js';
import { buildProgram, type Program } from '../../runtime/program/program.js';
import { Rng } from '../../runtime/program/rng.js';
import { trainStep } from '../../runtime/train/step.js';
import { act, adam, param, phase } from './ir-builders.js';
import { randomArray } from './reference.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

type Grow = 'upsample' | 'unpool-fill' | 'unpool-switches';

/**
 * x [size, size, 1] → conv 3×3 tanh (2) → maxpool 2 'same' → conv 3×3 tanh (2) → grow → conv 3×3 (1)
 * → sigmoid, bce from logits (summed per sample, so gradients are large enough for differences).
 */
function convAutoencoder(grow: Grow, size: number): IRModel {
  const pooled = Math.ceil(size / 2);
  const conv = (id: string, input: string, filters: number, channels: number, side: number, fn: 'tanh' | 'linear'): IRNode => {
    parameters.push(param(id, 'kernel', [3, 3, channels, filters], 'glorot_uniform'), { ...param(id, 'bias', [filters], 'normal') });
    return {
      id,
      op: 'conv2d',
      inputs: [input],
      attrs: { filters, kernel: [3, 3], stride: [1, 1], padding: 'same', activation: act(fn) },
      shape: [null, side, side, filters],
      stage: 'encoder',
      params: { kernel: `${id}.kernel`, bias: `${id}.bias` },
    } as IRNode;
  };
  const parameters: IRParameter[] = [];
  const grown = grow === 'upsample' ? pooled * 2 : size;
  const growNode: IRNode =
    grow === 'upsample'
      ? { id: 'grow', op: 'upsample', inputs: ['mid'], attrs: { factor: [2, 2] }, shape: [null, grown, grown, 2], stage: 'decoder' }
      : {
          id: 'grow',
          op: 'unpool',
          inputs: grow === 'unpool-switches' ? ['mid', 'z:switches'] : ['mid'],
          attrs: { pool: [2, 2], mode: grow === 'unpool-fill' ? 'fill' : 'switches' },
          shape: [null, grown, grown, 2],
          stage: 'decoder',
        };
  const nodes: IRNode[] = [
    conv('enc', 'x', 2, 1, size, 'tanh'),
    { id: 'z', op: 'maxpool', inputs: ['enc'], attrs: { pool: [2, 2], stride: [2, 2], padding: 'same' }, shape: [null, pooled, pooled, 2], stage: 'latent' },
    conv('mid', 'z', 2, 2, pooled, 'tanh'),
    growNode,
    conv('decoder.out', 'grow', 1, 2, grown, 'linear'),
    { id: 'x_hat', op: 'activation', inputs: ['decoder.out'], attrs: act('sigmoid'), shape: [null, grown, grown, 1], stage: 'output' },
  ];
  const objective: IRTerm[] = [{ fn: 'bce', weight: 1, args: ['x_hat', 'x'], options: { reduce: 'sum', fromLogits: 'decoder.out' } }];
  return {
    irVersion: 2,
    model: `conv_${grow}`,
    inputs: [{ name: 'x', kind: 'tensor', shape: [null, size, size, 1], dtype: 'float32', range: [0, 1] }],
    parameters,
    nodes,
    outputs: { reconstruction: 'x_hat', target: 'x', latent: 'z', named: { x_hat: 'x_hat', z: 'z' }, heads: {} },
    objective,
    phases: [phase(objective)],
  };
}

/** The upsample variant reconstructs a 6×6 input; the unpools restore an odd 5×5 one. */
const CASES: { grow: Grow; size: number }[] = [
  { grow: 'upsample', size: 6 },
  { grow: 'unpool-fill', size: 5 },
  { grow: 'unpool-switches', size: 5 },
];

function inputFor(size: number): tf.Tensor4D {
  return tf.tensor4d(randomArray(3 * size * size, 11).map((v) => (v + 1) / 2), [3, size, size, 1]);
}

function loss(program: Program, x: tf.Tensor): tf.Scalar {
  const outputs = program.forward({ x }, { training: true, rng: new Rng(1) });
  return computeObjective(program.ir.objective, program.ir, program.parameters, outputs).total;
}

describe('conv autoencoders with upsample and unpool train', () => {
  for (const { grow, size } of CASES) {
    it(`${grow}: gradients match finite differences for every parameter`, () => {
      const program = buildProgram(convAutoencoder(grow, size), { seed: 5 });
      const x = inputFor(size);
      const { grads } = tf.variableGrads(() => loss(program, x), [...program.variables.values()]);
      const eps = 1e-2;
      const coordinates = new Rng(3);
      for (const [id, variable] of program.variables) {
        const analytic = grads[variable.name]!.dataSync();
        const values = variable.dataSync().slice();
        for (let k = 0; k < 4; k++) {
          const at = Math.floor(coordinates.next() * values.length);
          const probe = (delta: number): number => {
            const moved = values.slice();
            moved[at] = values[at]! + delta;
            variable.assign(tf.tensor(moved, variable.shape));
            return tf.tidy(() => loss(program, x).dataSync()[0]!);
          };
          const numeric = (probe(eps) - probe(-eps)) / (2 * eps);
          variable.assign(tf.tensor(values, variable.shape));
          expect(Math.abs(analytic[at]! - numeric), `${id}[${at}]`).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
        }
      }
      for (const g of Object.values(grads)) g.dispose();
      program.dispose();
      x.dispose();
    });

    it(`${grow}: one training step moves every parameter and leaks nothing`, () => {
      const ir = convAutoencoder(grow, size);
      const program = buildProgram(ir, { seed: 5 });
      const optimizer = createOptimizer(adam(1e-2), new Set());
      const trainable = [...program.variables.keys()];
      const x = inputFor(size);
      const before = new Map([...program.variables].map(([id, v]) => [id, v.dataSync().slice()]));
      const step = () => trainStep({ program, objective: ir.objective, optimizer, trainable, inputs: { x }, rng: new Rng(2) });
      expect(Number.isFinite(step().loss)).toBe(true);
      for (const [id, v] of program.variables) expect(Array.from(v.dataSync()), id).not.toEqual(Array.from(before.get(id)!));
      const tensors = tf.memory().numTensors;
      step();
      expect(tf.memory().numTensors).toBe(tensors);
      program.dispose();
      optimizer.dispose();
      x.dispose();
    });
  }
});

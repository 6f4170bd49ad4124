// Issue 22's crashes and silent acceptances (a generative fuzzer's and a new user's): each was clean
// in `ae check` and then died later, or was accepted though it cannot work. Each is now a located
// diagnostic, or works.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { analyze, codes } from '../check/helpers.js';
import { batchInputs, modelInputs } from '../../runtime/train/batches.js';
import { buildProgram } from '../../runtime/program/program.js';
import { createOptimizer } from '../../runtime/optim/optimizer.js';
import { planStages } from '../../runtime/train/stages.js';
import { trainStep } from '../../runtime/train/step.js';
import { Rng } from '../../runtime/program/rng.js';
import { useCpu } from '../runtime/setup.js';

beforeAll(useCpu);

const model = (members: string) => `model m {\n  input x: [8] in [0, 1]\n${members}\n}\n`;

describe('an identity latent on an empty encoder', () => {
  it('is AE3015 at the latent, with the empty encoder related (it failed the IR schema after a clean check)', () => {
    const text = model('  encoder { }\n  latent z = identity\n  decoder { dense(8) }\n  output x_hat = sigmoid\n  loss = bce(x_hat, x)');
    const analysis = analyze(text);
    expect(codes(analysis)).toEqual(['AE3015@4:14']);
    expect(analysis.diagnostics[0]!.message).toBe('the latent `z` is the input `x` unchanged: the encoder has no layer and the latent adds none');
    expect(analysis.diagnostics[0]!.related.map((r) => `${r.range.start.line}:${r.range.start.column}`)).toEqual(['3:3']);
    expect(analysis.irs).toEqual([]);
  });

  it('is AE3015 also when the output is read as logits by bce (fromLogits)', () => {
    const text = model('  encoder { }\n  latent z = identity\n  decoder { }\n  output x_hat = sigmoid\n  head h on z { dense(8) }\n  loss = bce(x_hat, x) + mse(h, x)');
    expect(codes(analyze(text))).toEqual(['AE3015@4:14']);
  });

  it('leaves a corrupted input under an empty encoder alone (the code is a node)', () => {
    const text = model('  corrupt x with gaussian(std = 0.1)\n  encoder { }\n  latent z = identity\n  decoder { dense(8) }\n  output x_hat = sigmoid\n  loss = bce(x_hat, x)');
    const analysis = analyze(text);
    expect(codes(analysis)).toEqual([]);
    expect(analysis.irs[0]!.outputs.latent).toBe('corrupt.x.0.gaussian');
  });
});

describe('greedy pretraining with a written decoder', () => {
  it('is AE4109 at the train member when a decoder layer does not undo its encoder twin (tfjs threw a matMul shape error)', () => {
    const text = model(
      '  encoder { dense(6, act = relu), dense(5, act = relu) }\n  latent z = dense(3)\n  decoder { dense(6, act = relu), dense(5, act = relu), dense(8) }\n' +
        '  output x_hat = sigmoid\n  loss = bce(x_hat, x)\n  train { schedule = greedy(epochs = 1) }',
    );
    const analysis = analyze(text);
    expect(codes(analysis)).toEqual(['AE4109@8:3']);
    expect(analysis.diagnostics[0]!.message).toBe(
      "phase `train`: greedy layer 0: its decoder twin maps [5] to [8], but must map the layer's code [6] back to its input [8]; write the decoder as the encoder's mirror (or `decoder = mirror(encoder)`)",
    );
  });

  it('accepts a written decoder that mirrors the encoder', () => {
    const text = model(
      '  encoder { dense(6, act = relu), dense(5, act = relu) }\n  latent z = dense(3)\n  decoder { dense(5, act = relu), dense(6, act = relu), dense(8) }\n' +
        '  output x_hat = sigmoid\n  loss = bce(x_hat, x)\n  train { schedule = greedy(epochs = 1) }',
    );
    expect(codes(analyze(text))).toEqual([]);
  });
});

describe('names of Object.prototype as inputs', () => {
  it('`input __proto__: label(3)` checks clean and trains a step with its labels', () => {
    const text =
      'model m {\n  input x: [8] in [0, 1]\n  input __proto__: label(3)\n  encoder { dense(4) }\n  latent z = dense(2)\n  decoder = mirror(encoder)\n' +
      '  output x_hat = sigmoid\n  head h on z { dense(3) }\n  loss = bce(x_hat, x) + cross_entropy(h, __proto__)\n}\n';
    const analysis = analyze(text);
    expect(codes(analysis)).toEqual([]);
    const ir = analysis.irs[0]!;
    const inputs = modelInputs(ir);
    const dataset = { name: 'tiny', count: 2, sampleShape: [8], x: new Float32Array(16).fill(0.5), labels: Int32Array.from([0, 2]) };
    const program = buildProgram(ir, { seed: 1 });
    const [stage] = planStages(ir, 1);
    const optimizer = createOptimizer(stage!.phase.optimizer, new Set());
    try {
      const batch = batchInputs(dataset, inputs, null, 0, 2);
      expect(Object.keys(batch).sort()).toEqual(['__proto__', 'x']);
      expect(Array.from(batch['__proto__']!.dataSync())).toEqual([0, 2]);
      const step = trainStep({ program, objective: stage!.objective, optimizer, trainable: stage!.trainable, inputs: batch, rng: new Rng(1) });
      expect(Number.isFinite(step.loss)).toBe(true);
      tf.dispose(Object.values(batch));
    } finally {
      optimizer.dispose();
      program.dispose();
    }
  });
});

describe('a subtracted loss term', () => {
  const loss = (objective: string) => model(`  encoder { dense(4) }\n  latent z = dense(2)\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = ${objective}`);

  it('is AE4016 at the term: `mse(x_hat, x) - l2(z)` is unbounded below', () => {
    const analysis = analyze(loss('mse(x_hat, x) - l2(z)'));
    expect(codes(analysis)).toEqual(['AE4016@7:26']);
    expect(analysis.diagnostics[0]!.message).toBe('`l2` is subtracted (its weight is -1): the loss has no lower bound, so training would make this term as large as it can');
    expect(analysis.irs).toEqual([]);
  });

  it('sums the weights of one call written twice, and leaves positive weights alone', () => {
    expect(codes(analyze(loss('mse(x_hat, x) + 0.5 * l2(z) - 0.25 * l2(z)')))).toEqual([]);
    expect(codes(analyze(loss('mse(x_hat, x) + 0.5 * l2(z) - 0.75 * l2(z)')))).toEqual(['AE4016@7:32']);
    expect(codes(analyze(loss('-(-mse(x_hat, x))')))).toEqual([]);
  });
});

// Issue 22: `ae encode --codes` writes a vq latent's codebook indices (the token grid a prior is fit
// on) and a onehot latent's clusters, not the quantised vectors.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import { buildProgram } from '../../runtime/program/program.js';
import { encodeCodes, TaskError } from '../../runtime/tasks/index.js';
import { uniformDataset } from '../runtime/data-helpers.js';
import { useCpu } from '../runtime/setup.js';

beforeAll(useCpu);

const ir = (latent: string, loss = 'mse(x_hat, x)') =>
  analyzeSource(`model m {\n  input x: [6] in [0, 1]\n  encoder { dense(4) }\n  latent z = ${latent}\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = ${loss}\n}\n`, 'm.ae').irs[0]!;

describe('encodeCodes', () => {
  it('gives a vq latent’s nearest-code indices, as the forward pass chooses them', () => {
    const model = ir('vq(codes = 8, dim = 4)', 'mse(x_hat, x) + vq_loss(z)');
    const program = buildProgram(model, { seed: 5 });
    const data = uniformDataset(10, 6);
    const codes = encodeCodes(program, data);
    const expected = tf.tidy(() => Array.from(program.forward({ x: tf.tensor(data.x, [10, 6]) }, { training: false }).get(`${model.outputs.latent}:codes`)!.dataSync()));
    expect(codes.shape).toEqual([10]);
    expect(Array.from(codes.values)).toEqual(expected);
    expect(Array.from(codes.values).every((c) => Number.isInteger(c) && c >= 0 && c < 8)).toBe(true);
    program.dispose();
  });

  it('gives a onehot latent’s cluster: the index of its largest unit', () => {
    const model = ir('onehot(5)');
    const program = buildProgram(model, { seed: 5 });
    const data = uniformDataset(10, 6);
    const codes = encodeCodes(program, data);
    const onehot = tf.tidy(() => Array.from(program.forward({ x: tf.tensor(data.x, [10, 6]) }, { training: false }).get(model.outputs.latent)!.dataSync()));
    const argmax = Array.from({ length: 10 }, (_, i) => {
      const row = onehot.slice(i * 5, i * 5 + 5);
      return row.indexOf(Math.max(...row));
    });
    expect(codes.shape).toEqual([10]);
    expect(Array.from(codes.values)).toEqual(argmax);
    program.dispose();
  });

  it('refuses a latent without discrete codes', () => {
    const program = buildProgram(ir('dense(2)'), { seed: 5 });
    expect(() => encodeCodes(program, uniformDataset(4, 6))).toThrow(TaskError);
    expect(() => encodeCodes(program, uniformDataset(4, 6))).toThrow("latent 'z' of 'm' is deterministic: --codes is for vq and onehot latents, whose codes are indices");
    program.dispose();
  });
});

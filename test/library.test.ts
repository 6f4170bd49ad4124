// The library entry (`import ... from 'aelang'`): text to checked IR to a forward pass, using only
// what index.ts exports, as a program embedding aelang would.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { analyzeSource, buildProgram, formatAe, selectBackend, serializeIR, validateIR } from '../index.js';

const SOURCE = `model small { input x: [6] in [0, 1]
  encoder { dense(4, act = tanh) }
  latent z = dense(2)
  decoder = mirror(encoder)
  output x_hat = sigmoid
  loss = bce(x_hat, x) }
`;

describe('library entry', () => {
  it('compiles, validates, formats and runs a model', async () => {
    const analysis = analyzeSource(SOURCE, 'small.ae');
    expect(analysis.diagnostics).toEqual([]);
    const ir = analysis.irs[0]!;
    const round = validateIR(JSON.parse(serializeIR(ir)));
    expect(round.ok).toBe(true);
    expect(await formatAe(SOURCE)).toContain('  encoder {\n    dense(4, act = tanh)\n  }\n');

    await selectBackend('cpu');
    const program = buildProgram(ir, { seed: 1 });
    const shape = tf.tidy(() => program.forward({ x: tf.ones([3, 6]) }, { training: false }).get(ir.outputs.reconstruction)!.shape);
    expect(shape).toEqual([3, 6]);
    program.dispose();
  });
});

describe('library entry: the uses of a trained run', () => {
  it('samples, interpolates, scores and searches with what index.ts exports', async () => {
    const { sample, interpolate, score, search, rocAuc, train, loadRun, TaskError } = await import('../index.js');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    await selectBackend('cpu');
    const vae = analyzeSource(SOURCE.replace('latent z = dense(2)', 'latent z = gaussian(2)'), 'small.ae').irs[0]!;
    const x = Float32Array.from({ length: 60 * 6 }, (_, i) => Math.abs(Math.sin(i * 12.9898) * 43758.5453) % 1);
    const dataset = { name: 'numbers', count: 60, sampleShape: [6], x };
    const runDir = mkdtempSync(join(tmpdir(), 'ae-library-'));
    (await train({ ir: vae, runDir, cwd: runDir, dataset, epochs: 1 })).program.dispose();
    const { program } = await loadRun(runDir);
    expect(sample(program, { count: 5, seed: 1 }).samples.shape).toEqual([5, 6]);
    expect(interpolate(program, dataset, { from: 0, to: 1, steps: 3 }).samples.shape).toEqual([3, 6]);
    const scored = score(program, dataset, { fit: dataset, contamination: 0.1 });
    expect(scored.scores).toHaveLength(60);
    expect(scored.isAnomaly.reduce((a, b) => a + b, 0)).toBe(6);
    expect(rocAuc([0.1, 0.9], [0, 1])).toBe(1);
    const codes = { values: x, shape: [60, 6] };
    expect(Array.from(search(codes, { values: x.slice(6, 12), shape: [1, 6] }, { k: 1 }).indices)).toEqual([1]);
    expect(() => search(codes, codes, { k: 61 })).toThrow(TaskError);
    program.dispose();
  });
});

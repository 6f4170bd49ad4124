// The family figures of `ae eval` and metrics.jsonl, each checked against a computation written
// here from the forward pass's raw outputs in float64 (not through the objective's code).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { analyzeSource } from '../../compiler/analyze.js';
import type { IRModel } from '../../ir/types.js';
import type { InMemoryDataset } from '../../runtime/data/index.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { tidyValue } from '../../runtime/program/gradient.js';
import { buildProgram } from '../../runtime/program/program.js';
import { codebookMetrics, formatModelMetrics, modelMetrics } from '../../runtime/tasks/index.js';
import { train } from '../../runtime/train/train.js';
import { Rng } from '../../runtime/program/rng.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

function compile(source: string): IRModel {
  const analysis = analyzeSource(source, 'm.ae');
  expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return analysis.irs[0]!;
}

function dataset(count: number, width: number, classes?: number): InMemoryDataset {
  const rng = new Rng(11);
  return {
    name: 'random',
    count,
    sampleShape: [width],
    x: Float32Array.from({ length: count * width }, () => rng.next()),
    ...(classes ? { labels: Int32Array.from({ length: count }, () => Math.floor(rng.next() * classes)) } : {}),
  };
}

function forward(ir: IRModel, program: ReturnType<typeof buildProgram>, data: InMemoryDataset, ids: string[]): Float64Array[] {
  return tidyValue(() => {
    const inputs: Record<string, tf.Tensor> = { x: tf.tensor(data.x, [data.count, ...data.sampleShape]) };
    if (data.labels) inputs.y = tf.tensor1d(data.labels, 'int32');
    const out = program.forward(inputs, { training: false });
    return ids.map((id) => Float64Array.from(out.get(id)!.dataSync()));
  });
}

describe('codebookMetrics', () => {
  it('is exp(entropy) of the code frequencies, with the codes in use', () => {
    expect(codebookMetrics([2, 2, 0, 0])).toEqual({ perplexity: 2, used: 2, size: 4 });
    const m = codebookMetrics([1, 3, 0]);
    expect(m.perplexity).toBeCloseTo(Math.exp(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75))), 12);
    expect(m.used).toBe(2);
  });
});

describe('modelMetrics', () => {
  it('heads: accuracy and cross-entropy of a softmax head against the labels', () => {
    const ir = compile(`model m {
      input x: [5] in [0, 1]
      input y: label(3)
      encoder { dense(4, act = relu) }
      latent z = dense(2)
      decoder = mirror(encoder)
      output x_hat = sigmoid
      head digits on z { dense(3, act = softmax) }
      loss = bce(x_hat, x) + cross_entropy(digits, y)
    }`);
    const program = buildProgram(ir, { seed: 4 });
    const data = dataset(37, 5, 3);
    const [p] = forward(ir, program, data, [ir.outputs.heads.digits!]);
    let correct = 0;
    let loss = 0;
    for (let i = 0; i < data.count; i++) {
      const row = Array.from(p!.subarray(i * 3, i * 3 + 3));
      if (row.indexOf(Math.max(...row)) === data.labels![i]) correct++;
      loss -= Math.log(row[data.labels![i]!]!);
    }
    const metrics = modelMetrics(program, data, ir.objective, { batch: 8 });
    expect(metrics.heads!.digits!.accuracy).toBeCloseTo(correct / data.count, 12);
    expect(metrics.heads!.digits!.loss).toBeCloseTo(loss / data.count, 5);
    expect(metrics.nelbo).toBeUndefined();
    expect(metrics.codebook).toBeUndefined();
    program.dispose();
  });

  it('nelbo: bce summed over pixels plus the KL summed over units, per sample, z at the mean', () => {
    const ir = compile(`model v {
      input x: [6] in [0, 1]
      encoder { dense(5, act = relu) }
      latent z = gaussian(3)
      decoder { dense(5, act = relu), dense(6) }
      output x_hat = sigmoid
      loss = bce(x_hat, x, reduce = sum) + kl(z)
    }`);
    const program = buildProgram(ir, { seed: 9 });
    const data = dataset(21, 6);
    const [xHat, mean, logvar] = forward(ir, program, data, ['output.x_hat', 'latent.z.mean', 'latent.z.logvar']);
    let nelbo = 0;
    for (let i = 0; i < xHat!.length; i++) {
      const t = data.x[i]!;
      nelbo -= t * Math.log(xHat![i]!) + (1 - t) * Math.log(1 - xHat![i]!);
    }
    for (let i = 0; i < mean!.length; i++) nelbo += -0.5 * (1 + logvar![i]! - mean![i]! ** 2 - Math.exp(logvar![i]!));
    const metrics = modelMetrics(program, data, ir.objective, { batch: 5 });
    expect(metrics.nelbo).toBeCloseTo(nelbo / data.count, 3);
    // One draw per sample: near the value at the mean (the posterior is narrow at init), never equal.
    expect(metrics.nelbo_sampled).not.toBe(metrics.nelbo);
    expect(Math.abs(metrics.nelbo_sampled! - metrics.nelbo!)).toBeLessThan(0.5 * metrics.nelbo!);
    expect(formatModelMetrics(metrics, (v) => v.toFixed(2))).toEqual([`nelbo ${metrics.nelbo!.toFixed(2)} (sampled ${metrics.nelbo_sampled!.toFixed(2)})`]);
    program.dispose();
  });

  it('codebook: the frequencies of the nearest codes over the data set', () => {
    const ir = compile(`model q {
      input x: [4] in [0, 1]
      encoder { dense(3) }
      latent z = vq(codes = 8, dim = 3)
      decoder = mirror(encoder)
      output x_hat = sigmoid
      loss = mse(x_hat, x) + vq_loss(z)
    }`);
    const program = buildProgram(ir, { seed: 2 });
    const data = dataset(30, 4);
    const [codes] = forward(ir, program, data, ['latent.z:codes']);
    const hits = new Array<number>(8).fill(0);
    for (const c of codes!) hits[c]! += 1;
    const p = hits.filter((h) => h > 0).map((h) => h / data.count);
    const metrics = modelMetrics(program, data, ir.objective, { batch: 7 });
    expect(metrics.codebook).toEqual({ perplexity: expect.closeTo(Math.exp(-p.reduce((s, v) => s + v * Math.log(v), 0)), 10), used: p.length, size: 8 });
    program.dispose();
  });
});

describe('onehot cluster usage (issue 22)', () => {
  it('counts each sample in the cluster of its largest code unit, as a codebook is counted', () => {
    const ir = compile(`model c {
      input x: [4] in [0, 1]
      encoder { dense(3) }
      latent z = onehot(5)
      decoder = mirror(encoder)
      output x_hat = sigmoid
      loss = mse(x_hat, x)
    }`);
    const program = buildProgram(ir, { seed: 3 });
    const data = dataset(30, 4);
    const [codes] = forward(ir, program, data, [ir.outputs.latent]);
    const hits = new Array<number>(5).fill(0);
    for (let i = 0; i < data.count; i++) {
      const row = Array.from(codes!.subarray(i * 5, (i + 1) * 5));
      hits[row.indexOf(Math.max(...row))]! += 1;
    }
    const p = hits.filter((h) => h > 0).map((h) => h / data.count);
    const metrics = modelMetrics(program, data, ir.objective, { batch: 7 });
    expect(metrics.clusters).toEqual({ perplexity: expect.closeTo(Math.exp(-p.reduce((s, v) => s + v * Math.log(v), 0)), 10), used: p.length, size: 5 });
    expect(formatModelMetrics(metrics, String).at(-1)).toBe(`clusters ${p.length}/5 used, perplexity ${metrics.clusters!.perplexity.toFixed(1)}`);
    program.dispose();
  });
});

describe('metrics.jsonl', () => {
  it('logs the figures each epoch, on the first training samples without a validation set', async () => {
    const ir = compile(`model q {
      input x: [4] in [0, 1]
      encoder { dense(3) }
      latent z = vq(codes = 8, dim = 3)
      decoder = mirror(encoder)
      output x_hat = sigmoid
      loss = mse(x_hat, x) + vq_loss(z)
      train { epochs = 2, batch = 10 }
    }`);
    const runDir = mkdtempSync(join(tmpdir(), 'ae-metrics-'));
    const lines: string[] = [];
    const data = dataset(30, 4);
    const result = await train({ ir, runDir, cwd: runDir, dataset: data, progress: { stderr: (t) => lines.push(t), isTTY: false } });
    expect(result.metrics).toHaveLength(2);
    const last = result.metrics[1]!.metrics!;
    expect(last.data).toBe('random[:2000]');
    expect(last.codebook).toEqual(modelMetrics(result.program, data, ir.objective).codebook);
    expect(lines.at(-1)).toContain(`codebook ${last.codebook!.used}/8 used, perplexity ${last.codebook!.perplexity.toFixed(1)}`);
    result.program.dispose();
  });
});

describe('ae eval', () => {
  it('adds the codebook to the JSON and to the text output', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ae-eval-metrics-'));
    const data = dataset(30, 4);
    writeFileSync(join(cwd, 'x.npy'), encodeNpy(data.x, [30, 4]));
    writeFileSync(join(cwd, 'q.ae'), 'model q {\n  input x: [4] in [0, 1]\n  encoder { dense(3) }\n  latent z = vq(codes = 8, dim = 3)\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = mse(x_hat, x) + vq_loss(z)\n}\n');
    const run = async (...argv: string[]) => {
      const out = { stdout: '', stderr: '' };
      const code = await main(argv, { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), isTTY: false, cwd });
      expect(code, out.stderr).toBe(0);
      return out.stdout;
    };
    await run('train', 'q.ae', '--data', 'x.npy', '--backend', 'cpu', '--out', 'run', '--epochs', '1');
    const json = JSON.parse(await run('eval', 'run', '--data', 'x.npy', '--format', 'json', '--backend', 'cpu'));
    expect(json.codebook).toMatchObject({ size: 8 });
    expect(json.codebook.used).toBeGreaterThanOrEqual(1);
    const text = await run('eval', 'run', '--data', 'x.npy', '--backend', 'cpu');
    expect(text).toContain(`  codebook ${json.codebook.used}/8 used, perplexity ${json.codebook.perplexity.toFixed(1)}\n`);
  });
});

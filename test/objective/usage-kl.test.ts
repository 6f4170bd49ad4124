// usage_kl(z) (issue 22): the remedy for a onehot latent that collapses onto few clusters. The term
// is KL(batch-mean softmax ‖ uniform); the checker allows it only on a onehot latent (AE4020); and
// on a tiny dataset of 8 clusters, where the plain model uses about half of its 8 clusters, the
// term makes it use (nearly) all of them, as `ae eval` measures.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import type { IRNode, IRTerm } from '../../ir/types.js';
import { encodeNpy } from '../../runtime/io/index.js';
import type { TermContext } from '../../runtime/objective/context.js';
import { usageKl } from '../../runtime/objective/terms/usage.js';
import { mulberry32 } from '../../runtime/random.js';
import { analyze, codes } from '../check/helpers.js';
import { useCpu } from '../runtime/setup.js';

beforeAll(useCpu);

const model = (latent: string, loss: string, train = '') =>
  `model m {\n  input x: [8] in [0, 1]\n  encoder { dense(16, act = relu) }\n  latent z = ${latent}\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = ${loss}\n${train}}\n`;

describe('the checker', () => {
  it('emits usage_kl on a onehot latent, summed over the clusters by default', () => {
    const analysis = analyze(model('onehot(4)', 'bce(x_hat, x) + 0.5 * usage_kl(z)'));
    expect(codes(analysis)).toEqual([]);
    const term = analysis.irs[0]!.objective.find((t) => t.fn === 'usage_kl')!;
    expect(term).toMatchObject({ fn: 'usage_kl', weight: 0.5, args: ['latent.z'], options: { reduce: 'sum' } });
  });

  it('refuses it on another latent (AE4020 at the argument) or on a tensor that is not the latent', () => {
    const dense = analyze(model('dense(4)', 'bce(x_hat, x) + usage_kl(z)'));
    expect(codes(dense)).toEqual(['AE4020@7:35']);
    expect(dense.diagnostics[0]!.message).toBe('`usage_kl` applies only to a onehot latent; `z` is a `dense` latent');
    expect(codes(analyze(model('onehot(4)', 'bce(x_hat, x) + usage_kl(x_hat)')))).toEqual(['AE4020@7:35']);
  });
});

describe('the term', () => {
  const term = { fn: 'usage_kl', weight: 1, args: ['z'], options: { reduce: 'sum' } } as unknown as IRTerm<'usage_kl'>;
  const value = (logits: number[][], reduce: 'sum' | 'mean' = 'sum'): number => {
    const ctx = { node: () => ({ id: 'z', op: 'gumbel_onehot', inputs: ['logits'] }) as unknown as IRNode, value: () => tf.tensor2d(logits) } as unknown as TermContext;
    return usageKl({ ...term, options: { reduce } }, ctx).dataSync()[0]!;
  };

  it('is 0 when the batch uses every cluster alike, log k when it uses one', () => {
    expect(value([[9, 0, 0, 0], [0, 9, 0, 0], [0, 0, 9, 0], [0, 0, 0, 9]])).toBeCloseTo(0, 5);
    expect(value([[0, 0, 0, 0], [1, 1, 1, 1]])).toBeCloseTo(0, 6);
    expect(value([[40, 0, 0, 0], [40, 0, 0, 0]])).toBeCloseTo(Math.log(4), 5);
    expect(value([[40, 0, 0, 0], [40, 0, 0, 0]], 'mean')).toBeCloseTo(Math.log(4) / 4, 5);
  });

  it('is Σ p̄ log(k p̄) of the batch-mean softmax', () => {
    const logits = [[1, 2, 0.5], [0.3, -1, 2]];
    const softmax = logits.map((row) => {
      const e = row.map(Math.exp);
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    });
    const mean = [0, 1, 2].map((k) => (softmax[0]![k]! + softmax[1]![k]!) / 2);
    expect(value(logits)).toBeCloseTo(mean.reduce((sum, p) => sum + p * Math.log(3 * p), 0), 5);
  });
});

describe('its gradient', () => {
  it('matches central finite differences (tfjs autodiff of the term)', () => {
    const ctxFor = (logits: tf.Tensor) => ({ node: () => ({ id: 'z', op: 'gumbel_onehot', inputs: ['logits'] }) as unknown as IRNode, value: () => logits }) as unknown as TermContext;
    const term = { fn: 'usage_kl', weight: 1, args: ['z'], options: { reduce: 'sum' } } as unknown as IRTerm<'usage_kl'>;
    const at = [[0.3, -1.2, 0.8, 0.1], [1.5, 0.2, -0.4, -0.9], [0.0, 0.7, 0.6, -1.1]];
    const gradient = tf.grad((x: tf.Tensor) => usageKl(term, ctxFor(x)))(tf.tensor2d(at)).arraySync() as number[][];
    const f = (values: number[][]) => usageKl(term, ctxFor(tf.tensor2d(values))).dataSync()[0]!;
    const h = 1e-2;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 4; j++) {
        const plus = at.map((row) => [...row]);
        const minus = at.map((row) => [...row]);
        plus[i]![j]! += h;
        minus[i]![j]! -= h;
        expect(gradient[i]![j]!).toBeCloseTo((f(plus) - f(minus)) / (2 * h), 3);
      }
    }
  });
});

describe('against collapse', () => {
  /** 256 samples around 8 random corners of [0, 1]^8. */
  function clusteredData(): Float32Array {
    const random = mulberry32(3);
    const centres = Array.from({ length: 8 }, () => Array.from({ length: 8 }, () => (random() < 0.5 ? 0.1 : 0.9)));
    return Float32Array.from({ length: 256 * 8 }, (_, i) => Math.min(1, Math.max(0, centres[Math.floor(i / 8) % 8]![i % 8]! + (random() - 0.5) * 0.1)));
  }

  async function clusterUse(loss: string): Promise<{ used: number; perplexity: number }> {
    const cwd = mkdtempSync(join(tmpdir(), 'aelang-usage-'));
    writeFileSync(join(cwd, 'x.npy'), encodeNpy(clusteredData(), [256, 8]));
    writeFileSync(join(cwd, 'm.ae'), model('onehot(8, temperature = 0.5, hard = true)', loss, '  train { epochs = 30, batch = 32, optimizer = adam(lr = 0.01), seed = 1 }\n'));
    let stdout = '';
    const io = { stdout: (t: string) => void (stdout += t), stderr: () => {}, isTTY: false, cwd };
    expect(await main(['train', 'm.ae', '--data', 'x.npy', '--backend', 'cpu', '--out', 'run'], io)).toBe(0);
    stdout = '';
    expect(await main(['eval', 'run', '--data', 'x.npy', '--backend', 'cpu'], io)).toBe(0);
    const match = stdout.match(/clusters (\d+)\/8 used, perplexity ([\d.]+)/);
    expect(match, stdout).not.toBeNull();
    return { used: Number(match![1]), perplexity: Number(match![2]) };
  }

  it('spreads a onehot latent over its clusters where the plain model leaves half of them unused', { timeout: 120_000 }, async () => {
    const plain = await clusterUse('bce(x_hat, x)');
    const spread = await clusterUse('bce(x_hat, x) + usage_kl(z)');
    expect(plain.used).toBeLessThanOrEqual(6);
    expect(spread.used).toBeGreaterThanOrEqual(7);
    expect(spread.perplexity).toBeGreaterThan(plain.perplexity + 1.5);
  });
});

// `--format json` on the commands that print results (check, summary and eval have their own
// tests): train, score, search and fmt --check print one JSON object on stdout instead of their
// text; encode, reconstruct, sample, interpolate and plot, which report on stderr what they wrote,
// also print it on stdout as one JSON object.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';

let cwd = '';

async function ae(...argv: string[]) {
  const out = { code: 0, stdout: '', stderr: '' };
  out.code = await main(argv, { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), isTTY: false, cwd });
  return out;
}

const MODEL = `model tiny {
  input x: [8] in [0, 1]
  encoder { dense(4, act = tanh) }
  latent z = gaussian(2)
  decoder { dense(4, act = tanh), dense(8) }
  output x_hat = sigmoid
  loss = bce(x_hat, x) + kl(z)
  train { data = synthetic(samples = 32, seed = 1)  epochs = 2  batch = 16 }
}
`;

let trained: Record<string, unknown>;

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'ae-json-'));
  writeFileSync(join(cwd, 'tiny.ae'), MODEL);
  const result = await ae('train', 'tiny.ae', '--backend', 'cpu', '--out', 'run', '--format', 'json', '--quiet');
  expect(result.code).toBe(0);
  trained = JSON.parse(result.stdout);
});

afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('--format json', () => {
  it('ae train: the run, its steps, last losses and the held-out numbers', () => {
    expect(trained).toMatchObject({ model: 'tiny', run: join(cwd, 'run'), backend: 'cpu', steps: 4, epochs: 2, val_loss: null, stoppedEarly: [] });
    expect(trained.loss).toBeGreaterThan(0.3);
    expect(trained.loss).toBeLessThan(3);
    expect(trained.heldOut).toMatchObject({ split: 'training', samples: 32 });
    expect((trained.heldOut as { mse: number }).mse).toBeGreaterThan(0);
  });

  it('ae score: threshold, anomaly count and where the scores went', async () => {
    const result = await ae('score', 'run', '--data', 'synthetic:samples=20', '-o', 'scores.csv', '--backend', 'cpu', '--format', 'json', '--threshold', '0');
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toEqual({ model: 'tiny', data: expect.stringContaining('synthetic'), samples: 20, by: 'reconstruction', threshold: 0, anomalies: 20, out: join(cwd, 'scores.csv') });
  });

  it('ae search: counts, k, metric and timing', async () => {
    const result = await ae('search', 'run', '--index', 'synthetic:samples=30', '--query', 'synthetic:samples=5', '-k', '3', '-o', 'nn.csv', '--backend', 'cpu', '--format', 'json');
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toMatchObject({ model: 'tiny', queries: 5, index: 30, k: 3, metric: 'euclidean', out: join(cwd, 'nn.csv') });
    expect(parsed.seconds).toBeGreaterThanOrEqual(0);
  });

  it('ae encode, reconstruct, sample and interpolate: what they wrote, and where', async () => {
    const json = async (...argv: string[]) => {
      const result = await ae(...argv, '--backend', 'cpu', '--format', 'json');
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/^wrote /m); // the text report stays on stderr
      return JSON.parse(result.stdout);
    };
    expect(await json('encode', 'run', '--data', 'synthetic:samples=12', '-o', 'codes.npy')).toMatchObject({ model: 'tiny', codes: 12, shape: [2], out: join(cwd, 'codes.npy') });
    expect(await json('reconstruct', 'run', '--data', 'synthetic:samples=6', '-o', 'rec.npy')).toMatchObject({ model: 'tiny', reconstructions: 6, shape: [8], corrupted: false, out: join(cwd, 'rec.npy') });
    expect(await json('sample', 'run', '-n', '5', '--seed', '3', '-o', 'samples.npy')).toEqual({ model: 'tiny', prior: 'gaussian', samples: 5, seed: 3, out: join(cwd, 'samples.npy') });
    expect(await json('interpolate', 'run', '--data', 'synthetic:samples=4', '--from', '0', '--to', '3', '--steps', '4', '-o', 'path.npy')).toMatchObject({ model: 'tiny', from: 0, to: 3, steps: 4, path: 'spherical', out: join(cwd, 'path.npy') });
  });

  it('ae plot: the curves or the latent map it drew', async () => {
    const curves = await ae('plot', 'run', '--format', 'json');
    expect(curves.code).toBe(0);
    expect(JSON.parse(curves.stdout)).toEqual({ plot: 'curves', out: join(cwd, 'run', 'curves.svg') });
    const map = await ae('plot', 'run', '--latent', '--data', 'synthetic:samples=10', '--backend', 'cpu', '--format', 'json');
    expect(map.code).toBe(0);
    expect(JSON.parse(map.stdout)).toMatchObject({ plot: 'latent', model: 'tiny', codes: 10, labelled: false, out: join(cwd, 'run', 'latent.svg') });
  });

  it('ae fmt --check: the files checked, not formatted, and not parsed', async () => {
    writeFileSync(join(cwd, 'messy.ae'), MODEL.replace('dense(4, act = tanh)', 'dense( 4 ,act=tanh )'));
    writeFileSync(join(cwd, 'broken.ae'), 'model m {\n');
    expect((await ae('fmt', '--write', 'tiny.ae')).code).toBe(0);
    const result = await ae('fmt', '--check', '--format', 'json', 'tiny.ae', 'messy.ae', 'broken.ae');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ checked: 3, unformatted: ['messy.ae'], unparsed: ['broken.ae'] });
    expect((await ae('fmt', '--format', 'json', 'tiny.ae')).code).toBe(2); // json reports a check
  });
});

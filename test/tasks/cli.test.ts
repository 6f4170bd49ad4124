// `ae sample | interpolate | score | search` end to end on runs trained from .ae files on .npy data:
// the files they write, the numbers they print, and exit 1 with a clear message for each misuse.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { parseNpy } from '../../runtime/data/index.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { curveDataset } from './helpers.js';

function cli(cwd: string) {
  const out = { stdout: '', stderr: '' };
  const io = { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), isTTY: false, cwd };
  return { out, run: (...argv: string[]) => main(argv, io) };
}

const MODEL = `model LATENT_NAME {
  input x: [16] in [0, 1]
  encoder { dense(32, act = tanh), dense(WIDTH) }
  latent z = LATENT
  decoder { dense(32, act = tanh), dense(16) }
  output x_hat = sigmoid
  loss = LOSS
  train { epochs = 10, batch = 32, optimizer = adam(lr = 1e-2) }
}
`;

let cwd = '';

async function trainCli(name: string, latent: string, loss: string): Promise<void> {
  // A vq latent quantises 4-wide vectors; the others take the 32 tanh units as they are.
  const source = MODEL.replace('LATENT_NAME', name).replace('LATENT', latent).replace('LOSS', loss);
  writeFileSync(join(cwd, `${name}.ae`), latent.startsWith('vq') ? source.replace('WIDTH', '4') : source.replace(', dense(WIDTH)', ''));
  const train = cli(cwd);
  expect(await train.run('train', `${name}.ae`, '--data', 'train.npy', '--backend', 'cpu', '--out', name)).toBe(0);
}

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'ae-uses-cli-'));
  const train = curveDataset(400, 16);
  const test = curveDataset(60, 16, { samplesSeed: 9 });
  writeFileSync(join(cwd, 'train.npy'), encodeNpy(train.x, [400, 16]));
  writeFileSync(join(cwd, 'train-labels.npy'), encodeNpy(Float32Array.from(train.labels!), [400]));
  // The last 10 test rows are uniform noise: planted anomalies, marked 1 in truth.txt.
  const x = test.x.slice();
  for (let i = 50 * 16; i < x.length; i++) x[i] = ((i * 7919) % 1000) / 1000;
  writeFileSync(join(cwd, 'test.npy'), encodeNpy(x, [60, 16]));
  writeFileSync(join(cwd, 'test-labels.npy'), encodeNpy(Float32Array.from(test.labels!), [60]));
  writeFileSync(join(cwd, 'truth.txt'), `anomaly\n${Array.from({ length: 60 }, (_, i) => (i >= 50 ? 1 : 0)).join('\n')}\n`);
  await trainCli('vae', 'gaussian(2)', 'bce(x_hat, x, reduce = sum) + kl(z, reduce = sum)');
  await trainCli('ae', 'dense(2)', 'mse(x_hat, x)');
});

function readNpyFile(file: string) {
  return parseNpy(new Uint8Array(readFileSync(join(cwd, file))), file);
}

describe('ae sample and interpolate', () => {
  it('writes decoded prior draws as .npy and refuses a deterministic code', async () => {
    const sample = cli(cwd);
    expect(await sample.run('sample', 'vae', '-n', '12', '--seed', '2', '--temperature', '0.8', '-o', 'samples.npy', '--backend', 'cpu')).toBe(0);
    const samples = readNpyFile('samples.npy');
    expect(samples.shape).toEqual([12, 16]);
    expect(Array.from(samples.data).every((v) => v > 0 && v < 1)).toBe(true);
    expect(sample.out.stderr).toContain('wrote 12 samples from the gaussian prior of vae to samples.npy');
    const again = cli(cwd);
    await again.run('sample', 'vae', '-n', '12', '--seed', '2', '--temperature', '0.8', '-o', 'again.npy', '--backend', 'cpu');
    expect(readFileSync(join(cwd, 'again.npy'))).toEqual(readFileSync(join(cwd, 'samples.npy')));

    const grid = cli(cwd);
    expect(await grid.run('sample', 'vae', '-n', '4', '-o', 'samples.png', '--backend', 'cpu')).toBe(0);
    expect(readFileSync(join(cwd, 'samples.png')).subarray(1, 4).toString()).toBe('PNG');

    const deterministic = cli(cwd);
    expect(await deterministic.run('sample', 'ae', '-n', '4', '-o', 'no.npy', '--backend', 'cpu')).toBe(1);
    expect(deterministic.out.stderr).toMatch(/^ae sample: latent 'z' of 'ae' is deterministic \(dense\): it has no prior to sample from; decode between the codes of real inputs with interpolate instead$/m);
    expect(existsSync(join(cwd, 'no.npy'))).toBe(false);
  });

  it('reads --condition and prints a condition error with its code', async () => {
    const conditioned = cli(cwd);
    expect(await conditioned.run('sample', 'vae', '-n', '4', '--condition', '1', '-o', 'cond.npy', '--backend', 'cpu')).toBe(1);
    expect(conditioned.out.stderr).toMatch(/^ae sample: error AE6002: 'vae' has no condition \(its decoder reads only the code\), so --condition 1 means nothing$/m);
    expect(existsSync(join(cwd, 'cond.npy'))).toBe(false);
    const negative = cli(cwd);
    expect(await negative.run('sample', 'vae', '--condition', '-1', '-o', 'cond.npy')).toBe(2);
  });

  it("records a vq run's code usage at the end of training and samples codebook entries by it", async () => {
    await trainCli('vq', 'vq(codes = 8, dim = 4)', 'mse(x_hat, x) + vq_loss(z)');
    const usage = JSON.parse(readFileSync(join(cwd, 'vq', 'code-usage.json'), 'utf8'));
    expect(usage).toMatchObject({ data: 'train.npy', samples: 400 });
    expect(usage.counts).toHaveLength(8);
    expect(usage.counts.reduce((a: number, b: number) => a + b, 0)).toBe(400);
    const sample = cli(cwd);
    expect(await sample.run('sample', 'vq', '-n', '6', '-o', 'vq.npy', '--backend', 'cpu')).toBe(0);
    expect(readNpyFile('vq.npy').shape).toEqual([6, 16]);
    expect(sample.out.stderr).toContain('wrote 6 samples from the vq prior of vq to vq.npy');
    const hot = cli(cwd);
    expect(await hot.run('sample', 'vq', '-n', '6', '--temperature', '2', '-o', 'vq.npy', '--backend', 'cpu')).toBe(1);
    expect(hot.out.stderr).toContain("ae sample: a temperature scales a gaussian prior; latent 'z' is vq");
  });

  it('interpolates between two rows, ends included', async () => {
    const run = cli(cwd);
    expect(await run.run('interpolate', 'ae', '--data', 'test.npy', '--from', '0', '--to', '5', '--steps', '6', '-o', 'path.npy', '--backend', 'cpu')).toBe(0);
    expect(readNpyFile('path.npy').shape).toEqual([6, 16]);
    expect(run.out.stderr).toContain('6 decoded points on the linear path from row 0 to row 5');
    const outside = cli(cwd);
    expect(await outside.run('interpolate', 'vae', '--data', 'test.npy', '--from', '0', '--to', '60', '-o', 'p.npy', '--backend', 'cpu')).toBe(1);
    expect(outside.out.stderr).toMatch(/ae interpolate: to = 60 is not a sample of test\.npy \(0-based rows 0\.\.59\)/);
    const missing = cli(cwd);
    expect(await missing.run('interpolate', 'vae', '--data', 'test.npy', '--from', '0', '-o', 'p.npy')).toBe(2);
    expect(missing.out.stderr).toContain('--from i and --to j');
  });
});

describe('ae score', () => {
  it('writes index,score,is_anomaly and prints AUC and AP against a labels file', async () => {
    const run = cli(cwd);
    expect(await run.run('score', 'ae', '--data', 'test.npy', '--contamination', '0.05', '--labels', 'truth.txt', '-o', 'scores.csv', '--backend', 'cpu')).toBe(0);
    const lines = readFileSync(join(cwd, 'scores.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('index,score,is_anomaly');
    expect(lines).toHaveLength(61);
    const rows = lines.slice(1).map((l) => l.split(',').map(Number));
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 60 }, (_, i) => i));
    const threshold = Number(/threshold (\S+) \(fitted on train\.npy at contamination 0\.05\)/.exec(run.out.stdout)?.[1]);
    expect(rows.every(([, s, flag]) => flag === (s! > threshold ? 1 : 0))).toBe(true);
    const auc = Number(/ROC AUC (\S+)/.exec(run.out.stdout)?.[1]);
    expect(auc).toBeGreaterThan(0.9);
    expect(Number(/average precision (\S+)/.exec(run.out.stdout)?.[1])).toBeGreaterThan(0.8);
  });

  it('reads ground truth from labelled data with --normal, and writes .npy scores', async () => {
    const run = cli(cwd);
    expect(await run.run('score', 'vae', '--data', 'test.npy,test-labels.npy', '--by', 'nelbo', '--normal', '0,1', '--threshold', '5', '-o', 's.npy', '--backend', 'cpu')).toBe(1);
    expect(run.out.stderr).toMatch(/ae score: the labels mark no sample as an anomaly/);
    const npy = cli(cwd);
    expect(await npy.run('score', 'vae', '--data', 'test.npy,test-labels.npy', '--by', 'nelbo', '--normal', '0', '--threshold', '5', '-o', 's.npy', '--backend', 'cpu')).toBe(0);
    expect(readNpyFile('s.npy').shape).toEqual([60]);
    expect(npy.out.stdout).toMatch(/threshold 5\.0000: \d+ anomalies/);
    expect(npy.out.stdout).toMatch(/ROC AUC 0\.\d{4}/);
  });

  it('refuses missing labels, nelbo without a gaussian code, and both threshold kinds', async () => {
    const unlabelled = cli(cwd);
    expect(await unlabelled.run('score', 'ae', '--data', 'test.npy', '--normal', '0', '-o', 'x.csv', '--backend', 'cpu')).toBe(1);
    expect(unlabelled.out.stderr).toContain('ae score: --normal needs labelled data, but test.npy has no labels');
    const nelbo = cli(cwd);
    expect(await nelbo.run('score', 'ae', '--data', 'test.npy', '--by', 'nelbo', '-o', 'x.csv', '--backend', 'cpu')).toBe(1);
    expect(nelbo.out.stderr).toContain("the negative ELBO needs a gaussian latent; latent 'z' of 'ae' is deterministic");
    const both = cli(cwd);
    expect(await both.run('score', 'ae', '--data', 'test.npy', '--threshold', '1', '--contamination', '0.1', '-o', 'x.csv')).toBe(2);
  });
});

describe('ae search', () => {
  it('writes query,rank,index,distance and prints precision@k with labels on both sides', async () => {
    const run = cli(cwd);
    expect(await run.run('search', 'ae', '--index', 'train.npy,train-labels.npy', '--query', 'test.npy,test-labels.npy', '-k', '3', '--limit', '50', '-o', 'nn.csv', '--backend', 'cpu')).toBe(0);
    const lines = readFileSync(join(cwd, 'nn.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('query,rank,index,distance');
    expect(lines).toHaveLength(1 + 150);
    const rows = lines.slice(1).map((l) => l.split(',').map(Number));
    expect(rows.slice(0, 4).map((r) => [r[0], r[1]])).toEqual([[0, 0], [0, 1], [0, 2], [1, 0]]);
    for (let q = 0; q < 50; q++) expect(rows[q * 3]![3]!).toBeLessThanOrEqual(rows[q * 3 + 2]![3]!);
    // The code of a 1-factor curve orders points by that factor, so neighbours share its sign.
    expect(Number(/precision@3 (\S+)/.exec(run.out.stdout)?.[1])).toBeGreaterThan(0.9);
  });

  it('refuses k larger than the index and hamming on a code that is not binary', async () => {
    const big = cli(cwd);
    expect(await big.run('search', 'ae', '--index', 'test.npy', '--query', 'test.npy', '-k', '61', '-o', 'nn.csv', '--backend', 'cpu')).toBe(1);
    expect(big.out.stderr).toContain('ae search: k = 61 is larger than the index (60 codes)');
    const hamming = cli(cwd);
    expect(await hamming.run('search', 'vae', '--index', 'test.npy', '--query', 'test.npy', '--metric', 'hamming', '-o', 'nn.csv', '--backend', 'cpu')).toBe(1);
    expect(hamming.out.stderr).toContain("hamming distance compares binary codes; latent 'z' is gaussian (use euclidean or cosine)");
  });
});

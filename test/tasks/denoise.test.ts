// Denoising as a use: the model's own corruption (or one named on the command line) applied to clean
// data, the error of the corrupted input and of its reconstruction against the clean input, and
// `ae reconstruct | eval --corrupt` writing and printing them.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { parseNpy } from '../../runtime/data/index.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { corruptDataset, denoisingError, modelCorruption, parseCorruption, type LoadedRun } from '../../runtime/tasks/index.js';
import { useCpu } from '../runtime/setup.js';
import { curveDataset, trainRun } from './helpers.js';

beforeAll(useCpu);

const DAE = `model dae {
  input x: [16] in [0, 1]
  corrupt x with gaussian(std = 0.3) then clip(0, 1)
  encoder { dense(32, act = tanh) }
  latent z = dense(2)
  decoder { dense(32, act = tanh), dense(16) }
  output x_hat = sigmoid
  loss = mse(x_hat, x)
  train { epochs = 15, batch = 32, optimizer = adam(lr = 1e-2) }
}`;

const data = curveDataset(400, 16);
let dae: LoadedRun;

beforeAll(async () => {
  dae = await trainRun(DAE, data);
});

describe('corruption', () => {
  it("applies the model's own chain: noise of its std, clipped into the input's range, seeded", () => {
    const nodes = modelCorruption(dae.ir);
    expect(nodes.map((n) => n.op)).toEqual(['corrupt_gaussian', 'clip']);
    const noisy = corruptDataset(dae.ir, data, nodes, 3);
    expect(noisy.count).toBe(400);
    expect(Math.min(...noisy.x)).toBe(0);
    expect(Math.max(...noisy.x)).toBe(1);
    const changed = noisy.x.filter((v, i) => v !== data.x[i]).length / noisy.x.length;
    expect(changed).toBeGreaterThan(0.95); // values clipped back onto 0 or 1 where they were can stay
    // Unclipped gaussian noise of std 0.3 has variance 0.09; clipping only shrinks it.
    const mse = noisy.x.reduce((s, v, i) => s + (v - data.x[i]!) ** 2, 0) / noisy.x.length;
    expect(mse).toBeGreaterThan(0.04);
    expect(mse).toBeLessThan(0.09);
    expect(corruptDataset(dae.ir, data, nodes, 3).x).toEqual(noisy.x);
    expect(corruptDataset(dae.ir, data, nodes, 4).x).not.toEqual(noisy.x);
  });

  it('parses a corruption from the command line', () => {
    const masked = corruptDataset(dae.ir, data, parseCorruption('mask:0.5', dae.ir), 1);
    const zeroed = masked.x.filter((v, i) => v === 0 && data.x[i] !== 0).length / masked.x.length;
    expect(Math.abs(zeroed - 0.5)).toBeLessThan(0.03);
    const salted = corruptDataset(dae.ir, data, parseCorruption('salt_pepper:0.2', dae.ir), 1);
    const extremes = salted.x.filter((v, i) => (v === 0 || v === 1) && v !== data.x[i]).length / salted.x.length;
    expect(Math.abs(extremes - 0.2)).toBeLessThan(0.03);
    expect(() => parseCorruption('blur:2', dae.ir)).toThrow(/'blur:2' is not a corruption; expected one of gaussian:STD, mask:RATE, salt_pepper:RATE/);
    expect(() => parseCorruption('mask:1.5', dae.ir)).toThrow(/rates in \[0, 1\]/);
  });

  it('refuses a model without corruption when none is named', async () => {
    const plain = { ...dae.ir, nodes: dae.ir.nodes.filter((n) => n.stage !== 'corrupt') };
    expect(() => corruptDataset(plain, data, modelCorruption(plain))).toThrow(/model 'dae' corrupts nothing in training; name a corruption/);
  });

  it('a denoising autoencoder brings corrupted inputs closer to the clean ones', () => {
    const noisy = corruptDataset(dae.ir, data, modelCorruption(dae.ir), 2);
    const result = denoisingError(dae.program, data, noisy);
    expect(result.samples).toBe(400);
    expect(result.denoised).toBeLessThan(0.5 * result.corrupted);
    expect(result.clean).toBeLessThanOrEqual(result.denoised);
  });
});

describe('ae reconstruct and eval with a corruption', () => {
  it('write reconstructions of corrupted inputs as .npy and print the noisy and denoised errors', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ae-denoise-'));
    writeFileSync(join(cwd, 'x.npy'), encodeNpy(data.x, [400, 16]));
    writeFileSync(join(cwd, 'dae.ae'), DAE.replace('epochs = 15', 'epochs = 2'));
    const out = { stdout: '', stderr: '' };
    const io = { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), isTTY: false, cwd };
    expect(await main(['train', 'dae.ae', '--data', 'x.npy', '--backend', 'cpu', '--out', 'run'], io)).toBe(0);

    expect(await main(['reconstruct', 'run', '--data', 'x.npy', '--corrupt', '-o', 'noisy.npy', '--backend', 'cpu'], io)).toBe(0);
    expect(parseNpy(new Uint8Array(readFileSync(join(cwd, 'noisy.npy'))), 'noisy.npy').shape).toEqual([400, 16]);
    expect(out.stderr).toContain("wrote 400 reconstructions (inputs corrupted by the model's own corruption, seed 0) of shape [16] to noisy.npy");
    expect(await main(['reconstruct', 'run', '--data', 'x.npy', '-n', '5', '-o', 'clean.npy', '--backend', 'cpu'], io)).toBe(0);
    expect(parseNpy(new Uint8Array(readFileSync(join(cwd, 'clean.npy'))), 'clean.npy').shape).toEqual([5, 16]);

    out.stdout = '';
    expect(await main(['eval', 'run', '--data', 'x.npy', '--corruption', 'mask:0.3', '--format', 'json', '--backend', 'cpu'], io)).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.denoising).toMatchObject({ corruption: 'mask:0.3', seed: 0, samples: 400 });
    expect(json.denoising.corrupted).toBeGreaterThan(0);
    expect(json.denoising.clean).toBeCloseTo(json.mse, 6);
    out.stdout = '';
    expect(await main(['eval', 'run', '--data', 'x.npy', '--corrupt', '--backend', 'cpu'], io)).toBe(0);
    expect(out.stdout).toMatch(/denoising \(the model's own corruption, seed 0\), mse against the clean input:\n {4}corrupted input \d\.\d+\n {4}reconstruction of it \d\.\d+/);
    out.stderr = '';
    expect(await main(['eval', 'run', '--data', 'x.npy', '--corruption', 'blur', '--backend', 'cpu'], io)).toBe(1);
    expect(out.stderr).toContain("ae eval: 'blur' is not a corruption");
  });
});

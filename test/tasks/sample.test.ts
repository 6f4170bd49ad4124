// Sampling and interpolation on runs trained on small synthetic data: a VAE's samples reproduce the
// data's statistics, vq codes are drawn at their training frequency, and the misuses are clear errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { codeUsage, decode, drawPrior, encode, interpolate, reconstruct, sample, slerp, TaskError, type LoadedRun } from '../../runtime/tasks/index.js';
import { useCpu } from '../runtime/setup.js';
import { columnMeans, curveDataset, trainRun } from './helpers.js';

beforeAll(useCpu);

const VAE = `model vae {
  input x: [8] in [0, 1]
  encoder { dense(32, act = tanh) }
  latent z = gaussian(1)
  decoder { dense(32, act = tanh), dense(8) }
  output x_hat = sigmoid
  loss = bce(x_hat, x, reduce = sum) + kl(z, reduce = sum)
  train { epochs = 25, batch = 32, optimizer = adam(lr = 1e-2) }
}`;

const data = curveDataset(600, 8);
let vae: LoadedRun;

beforeAll(async () => {
  vae = await trainRun(VAE, data);
});

function columnStds(values: Float32Array, count: number): number[] {
  const means = columnMeans(values, count);
  const width = means.length;
  const variance = new Array<number>(width).fill(0);
  for (let n = 0; n < count; n++) for (let d = 0; d < width; d++) variance[d]! += (values[n * width + d]! - means[d]!) ** 2 / count;
  return variance.map(Math.sqrt);
}

describe('sample', () => {
  it('draws N(0, T²) codes, reproducibly from the seed', () => {
    const codes = drawPrior(vae.program, { count: 4000, seed: 7, temperature: 0.5 });
    expect(codes.shape).toEqual([4000, 1]);
    const [mean] = columnMeans(codes.values, 4000);
    const [std] = columnStds(codes.values, 4000);
    expect(Math.abs(mean!)).toBeLessThan(0.03);
    expect(std).toBeGreaterThan(0.47);
    expect(std).toBeLessThan(0.53);
    expect(drawPrior(vae.program, { count: 5, seed: 7 }).values).toEqual(drawPrior(vae.program, { count: 5, seed: 7 }).values);
    expect(drawPrior(vae.program, { count: 5, seed: 8 }).values).not.toEqual(drawPrior(vae.program, { count: 5, seed: 7 }).values);
  });

  it("a VAE's samples have the data's per-feature means, and the spread of its reconstructions", () => {
    const { samples } = sample(vae.program, { count: 3000, seed: 1 });
    expect(samples.shape).toEqual([3000, 8]);
    // Decoded means carry no pixel noise, so their spread is compared with the reconstructions':
    // with the aggregate posterior close to N(0, 1), prior draws decode like encoded data does.
    const reconstructions = reconstruct(vae.program, data).values;
    const dataMeans = columnMeans(data.x, data.count);
    const reconstructionStds = columnStds(reconstructions, data.count);
    const sampleMeans = columnMeans(samples.values, 3000);
    const sampleStds = columnStds(samples.values, 3000);
    for (let d = 0; d < 8; d++) {
      expect(Math.abs(sampleMeans[d]! - dataMeans[d]!)).toBeLessThan(0.05);
      expect(sampleStds[d]! / reconstructionStds[d]!).toBeGreaterThan(0.8);
      expect(sampleStds[d]! / reconstructionStds[d]!).toBeLessThan(1.25);
    }
    // A low temperature keeps samples near the decoded prior mean: their spread collapses.
    const cold = sample(vae.program, { count: 1000, seed: 1, temperature: 0.05 }).samples;
    const coldStds = columnStds(cold.values, 1000);
    for (let d = 0; d < 8; d++) expect(coldStds[d]!).toBeLessThan(0.25 * sampleStds[d]!);
  });

  it('decoding the codes of inputs gives their reconstructions', () => {
    const decoded = decode(vae.program, encode(vae.program, data), { batch: 7 });
    const reconstructed = reconstruct(vae.program, data);
    expect(decoded.shape).toEqual([600, 8]);
    for (let i = 0; i < decoded.values.length; i++) expect(decoded.values[i]).toBeCloseTo(reconstructed.values[i]!, 6);
  });

  it('refuses a deterministic latent and suggests interpolate', async () => {
    const run = await trainRun(VAE.replace('gaussian(1)', 'dense(1)').replace(' + kl(z, reduce = sum)', '').replace('epochs = 25', 'epochs = 1'), data);
    expect(() => sample(run.program, { count: 3 })).toThrow(TaskError);
    expect(() => sample(run.program, { count: 3 })).toThrow(/latent 'z' of 'vae' is deterministic \(dense\).*interpolate/);
    run.program.dispose();
  });

  it('rejects a count below 1 and a temperature that is not positive', () => {
    expect(() => drawPrior(vae.program, { count: 0 })).toThrow(/positive integer, got 0/);
    expect(() => drawPrior(vae.program, { count: 2, temperature: -1 })).toThrow(/positive number, got -1/);
  });
});

describe('sample from discrete codes', () => {
  const VQ = `model vq {
  input x: [8] in [0, 1]
  encoder { dense(16, act = relu), dense(4) }
  latent z = vq(codes = 6, dim = 4)
  decoder { dense(16, act = relu), dense(8) }
  output x_hat = sigmoid
  loss = mse(x_hat, x) + vq_loss(z)
  train { epochs = 3, batch = 32 }
}`;

  it('draws vq codebook entries at the frequency the encoder used them', async () => {
    const run = await trainRun(VQ, data);
    const usage = codeUsage(run.program, data);
    expect(usage.reduce((a, b) => a + b, 0)).toBe(600);
    const codebook = run.program.parameters.view(run.ir.nodes.find((n) => n.op === 'vector_quantize')!.params!.codebook!).value.arraySync() as number[][];
    const codes = drawPrior(run.program, { count: 3000, seed: 2, codeUsage: usage });
    const drawn = new Array<number>(6).fill(0);
    for (let n = 0; n < 3000; n++) {
      const row = Array.from(codes.values.subarray(n * 4, n * 4 + 4));
      const match = codebook.findIndex((entry) => entry.every((v, i) => Math.fround(v) === row[i]));
      expect(match).toBeGreaterThanOrEqual(0);
      drawn[match]!++;
    }
    for (let c = 0; c < 6; c++) {
      expect(Math.abs(drawn[c]! / 3000 - usage[c]! / 600)).toBeLessThan(0.03);
      if (usage[c] === 0) expect(drawn[c]).toBe(0);
    }
    expect(() => drawPrior(run.program, { count: 3 })).toThrow(/needs its codebook usage/);
    expect(() => drawPrior(run.program, { count: 3, codeUsage: [1, 2] })).toThrow(/counts 2 codes, but latent 'z' has 6/);
    expect(() => drawPrior(run.program, { count: 3, temperature: 2, codeUsage: usage })).toThrow(/latent 'z' is vq/);
    run.program.dispose();
  });

  it('draws fair bits for a binary code and one category per row for a one-hot code', async () => {
    const bits = await trainRun(VQ.replace('vq(codes = 6, dim = 4)', 'binary(4)').replace(' + vq_loss(z)', '').replace('epochs = 3', 'epochs = 1'), data);
    const b = drawPrior(bits.program, { count: 2000, seed: 4 });
    expect(new Set(b.values)).toEqual(new Set([0, 1]));
    const ones = b.values.reduce((s, v) => s + v, 0) / b.values.length;
    expect(Math.abs(ones - 0.5)).toBeLessThan(0.02);
    expect(() => codeUsage(bits.program, data)).toThrow(/is binary, not vq/);
    bits.program.dispose();

    const categories = await trainRun(VQ.replace('vq(codes = 6, dim = 4)', 'onehot(4)').replace(' + vq_loss(z)', '').replace('epochs = 3', 'epochs = 1'), data);
    const c = drawPrior(categories.program, { count: 2000, seed: 4 });
    const perCategory = [0, 0, 0, 0];
    for (let n = 0; n < 2000; n++) {
      const row = Array.from(c.values.subarray(n * 4, n * 4 + 4));
      expect(row.reduce((a, v) => a + v, 0)).toBe(1);
      perCategory[row.indexOf(1)]!++;
    }
    for (const count of perCategory) expect(Math.abs(count / 2000 - 0.25)).toBeLessThan(0.03);
    categories.program.dispose();
  });
});

describe('interpolate', () => {
  it('starts and ends at the two inputs’ codes, on the sphere for a gaussian code', () => {
    const result = interpolate(vae.program, data, { from: 3, to: 10, steps: 5 });
    expect(result.codes.shape).toEqual([5, 1]);
    expect(result.samples.shape).toEqual([5, 8]);
    const codes = encode(vae.program, data).values;
    expect(result.codes.values[0]).toBeCloseTo(codes[3]!, 6);
    expect(result.codes.values[4]).toBeCloseTo(codes[10]!, 6);
    expect(Array.from(result.ends.values.subarray(0, 8))).toEqual(Array.from(data.x.subarray(24, 32)));
  });

  it('slerp keeps unit vectors on the unit circle; lerp would cut through it', () => {
    const mid = slerp([1, 0], [0, 1], 0.5);
    expect(mid[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(mid[1]).toBeCloseTo(Math.SQRT1_2, 6);
    const third = slerp([2, 0], [0, 2], 1 / 3);
    expect(Math.hypot(third[0]!, third[1]!)).toBeCloseTo(2, 5);
    expect(Math.atan2(third[1]!, third[0]!)).toBeCloseTo(Math.PI / 6, 5);
  });

  it('rejects rows outside the data and fewer than two steps', () => {
    expect(() => interpolate(vae.program, data, { from: 0, to: 600 })).toThrow(/to = 600 is not a sample of curve \(0-based rows 0\.\.599\)/);
    expect(() => interpolate(vae.program, data, { from: 0, to: 1, steps: 1 })).toThrow(/at least 2 steps/);
  });
});

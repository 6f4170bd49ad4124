// Anomaly scores: the ranking metrics against hand-worked (scikit-learn) values, PyOD's threshold,
// per-sample scores that average to the model's own loss, and a planted-anomaly set found by AUC.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../runtime/data/index.js';
import { Rng } from '../../runtime/program/rng.js';
import { anomalyScores, averagePrecision, evaluate, fitThreshold, rocAuc, score, TaskError, type LoadedRun } from '../../runtime/tasks/index.js';
import { useCpu } from '../runtime/setup.js';
import { curveDataset, trainRun } from './helpers.js';

beforeAll(useCpu);

describe('ranking metrics', () => {
  it('match scikit-learn on its documented example and with ties', () => {
    // sklearn.metrics.roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    // sklearn.metrics.average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.8333...
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(5 / 6, 12);
    expect(rocAuc([1, 1, 1, 1], [0, 1, 0, 1])).toBeCloseTo(0.5, 12);
    expect(averagePrecision([1, 1, 1, 1], [0, 1, 0, 1])).toBeCloseTo(0.5, 12);
    expect(rocAuc([3, 2, 1], [1, 0, 0])).toBe(1);
    expect(rocAuc([3, 2, 1], [0, 0, 1])).toBe(0);
  });

  it('need both normal samples and anomalies', () => {
    expect(() => rocAuc([1, 2], [0, 0])).toThrow(/mark no sample as an anomaly/);
    expect(() => averagePrecision([1, 2], [1, 1])).toThrow(/mark every sample/);
    expect(() => rocAuc([1, 2], [0])).toThrow(/2 scores but 1 labels/);
  });
});

describe('threshold', () => {
  it("is numpy's linear percentile at 1 - contamination, as PyOD fits it", () => {
    const scores = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(fitThreshold(scores, 0.1)).toBeCloseTo(9.1, 12); // np.percentile(range(1, 11), 90)
    expect(fitThreshold(scores, 0.25)).toBeCloseTo(7.75, 12); // np.percentile(range(1, 11), 75)
    expect(fitThreshold([4], 0.1)).toBe(4);
    expect(() => fitThreshold(scores, 0)).toThrow(/contamination must lie in \(0, 0.5\]/);
    expect(() => fitThreshold(scores, 0.6)).toThrow(TaskError);
  });
});

/** Normal samples near a curve, then `anomalies` uniform points of [0, 1]^8; labels 1 = anomaly. */
function plantedSet(normal: number, anomalies: number): { data: Dataset; truth: Uint8Array } {
  const clean = curveDataset(normal, 8, { samplesSeed: 11 });
  const rng = new Rng(5);
  const x = new Float32Array((normal + anomalies) * 8);
  x.set(clean.x);
  for (let i = normal * 8; i < x.length; i++) x[i] = rng.next();
  const truth = new Uint8Array(normal + anomalies).fill(1, normal);
  return { data: { name: 'planted', count: normal + anomalies, sampleShape: [8], x }, truth };
}

describe('anomaly scores', () => {
  const AE = `model ae {
  input x: [8] in [0, 1]
  encoder { dense(32, act = tanh) }
  latent z = LATENT
  decoder { dense(32, act = tanh), dense(8) }
  output x_hat = sigmoid
  loss = LOSS
  train { epochs = 25, batch = 32, optimizer = adam(lr = 1e-2) }
}`;
  const training = curveDataset(600, 8);
  let ae: LoadedRun;
  let vae: LoadedRun;

  beforeAll(async () => {
    ae = await trainRun(AE.replace('LATENT', 'dense(1)').replace('LOSS', 'mse(x_hat, x)'), training);
    vae = await trainRun(AE.replace('LATENT', 'gaussian(1)').replace('LOSS', 'bce(x_hat, x, reduce = sum) + kl(z, reduce = sum)'), training);
  });

  it('average to the loss the model reports, per sample in its own reduction', () => {
    const scores = anomalyScores(ae.program, training, { batch: 64 });
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    expect(mean).toBeCloseTo(evaluate(ae.program, training).loss, 6);
    // The VAE's loss is bce summed per sample + KL summed per sample: its mean is the negative ELBO's.
    const nelbo = anomalyScores(vae.program, training, { by: 'nelbo' });
    expect(nelbo.reduce((a, b) => a + b, 0) / nelbo.length).toBeCloseTo(evaluate(vae.program, training).loss, 3);
    const reconstruction = anomalyScores(vae.program, training);
    for (let i = 0; i < 20; i++) expect(nelbo[i]!).toBeGreaterThan(reconstruction[i]!); // KL ≥ 0
  });

  it('rank planted anomalies first (ROC AUC), and the fitted threshold flags them', () => {
    const { data, truth } = plantedSet(300, 30);
    for (const [run, by] of [[ae, 'reconstruction'], [vae, 'nelbo']] as const) {
      const result = score(run.program, data, { by, fit: training, contamination: 0.05 });
      expect(rocAuc(result.scores, truth)).toBeGreaterThan(0.95);
      expect(averagePrecision(result.scores, truth)).toBeGreaterThan(0.8);
      // About 5% of the training data lies above the threshold, most planted points do.
      const trainingScores = anomalyScores(run.program, training, { by });
      const above = trainingScores.filter((s) => s > result.threshold).length / training.count;
      expect(above).toBeGreaterThan(0.03);
      expect(above).toBeLessThan(0.07);
      const caught = truth.reduce((n, t, i) => n + (t && result.isAnomaly[i] ? 1 : 0), 0);
      expect(caught).toBeGreaterThan(24);
    }
  });

  it('takes a given threshold as it is, and refuses the misuses', () => {
    const { data } = plantedSet(10, 2);
    const scores = anomalyScores(ae.program, data);
    const given = score(ae.program, data, { threshold: scores[3]! });
    expect(given.threshold).toBe(scores[3]);
    expect(Array.from(given.isAnomaly)).toEqual(Array.from(scores, (s) => (s > scores[3]! ? 1 : 0)));
    expect(() => score(ae.program, data, {})).toThrow(/needs the data to fit it on/);
    expect(() => score(ae.program, data, { threshold: 1, contamination: 0.1 })).toThrow(/not both/);
    expect(() => anomalyScores(ae.program, data, { by: 'nelbo' })).toThrow(/negative ELBO needs a gaussian latent; latent 'z' of 'ae' is deterministic/);
  });
});

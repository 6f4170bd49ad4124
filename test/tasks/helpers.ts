// Shared by the uses' tests: compile a small model from .ae text, train it briefly on in-memory
// data into a temporary run directory, and load the run back as `ae` would.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import type { IRModel } from '../../ir/types.js';
import type { Dataset, InMemoryDataset } from '../../runtime/data/index.js';
import { Rng } from '../../runtime/program/rng.js';
import { loadRun, type LoadedRun } from '../../runtime/tasks/index.js';
import { train } from '../../runtime/train/train.js';

export function compile(source: string): IRModel {
  const analysis = analyzeSource(source, 'model.ae');
  expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return analysis.irs[0]!;
}

export async function trainRun(source: string, dataset: Dataset, options: { seed?: number } = {}): Promise<LoadedRun> {
  const runDir = mkdtempSync(join(tmpdir(), 'ae-uses-'));
  const result = await train({ ir: compile(source), runDir, cwd: runDir, dataset, seed: options.seed ?? 1 });
  result.program.dispose();
  return loadRun(runDir);
}

/**
 * Points near a curve in [0, 1]^width: x_d = sigmoid(a_d·s + b_d) + noise with s ~ N(0, 1), so the
 * data has one underlying factor, as a 1-D code can capture. Labels: 1 where s > 0.
 */
export function curveDataset(count: number, width: number, options: { samplesSeed?: number; noise?: number } = {}): InMemoryDataset {
  const curve = new Rng(3);
  const a = Array.from({ length: width }, () => 2 * curve.normal());
  const b = Array.from({ length: width }, () => curve.normal());
  // Other samples from the same curve under another seed (held-out data).
  const rng = options.samplesSeed === undefined ? curve : new Rng(options.samplesSeed);
  const noise = options.noise ?? 0.02;
  const x = new Float32Array(count * width);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const s = rng.normal();
    labels[n] = s > 0 ? 1 : 0;
    for (let d = 0; d < width; d++) {
      const v = 1 / (1 + Math.exp(-(a[d]! * s + b[d]!))) + noise * rng.normal();
      x[n * width + d] = Math.min(1, Math.max(0, v));
    }
  }
  return { name: 'curve', count, sampleShape: [width], x, labels };
}

export function columnMeans(values: Float32Array, count: number): number[] {
  const width = values.length / count;
  const means = new Array<number>(width).fill(0);
  for (let n = 0; n < count; n++) for (let d = 0; d < width; d++) means[d]! += values[n * width + d]! / count;
  return means;
}

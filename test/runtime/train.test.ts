import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../runtime/runs/index.js';
import { NonFiniteLossError } from '../../runtime/train/errors.js';
import { train } from '../../runtime/train/train.js';
import type { IRModel } from '../../ir/types.js';
import { adam, mlpAutoencoder, mseTerm, phase } from './ir-builders.js';
import { uniformDataset } from './data-helpers.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

const tempDir = () => mkdtempSync(join(tmpdir(), 'ae-train-'));
const data = uniformDataset(48, 8);

function model(overrides: { epochs?: number; lr?: number; seed?: number } = {}): IRModel {
  const objective = [mseTerm()];
  return mlpAutoencoder({
    inputWidth: 8,
    hidden: [6],
    code: 3,
    output: 'sigmoid',
    tied: true,
    objective,
    phases: [phase(objective, { epochs: overrides.epochs ?? 3, batch: 16, seed: overrides.seed ?? 4, optimizer: adam(overrides.lr ?? 0.01) })],
  });
}

async function weights(dir: string): Promise<Record<string, number[]>> {
  const { tensors } = decodeSafetensors(readFileSync(join(dir, 'checkpoint', 'weights.safetensors')));
  return Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, Array.from(t.data)]));
}

describe('train', () => {
  it('writes the run directory: IR, weights (tied stored once), metrics, state, run.json', async () => {
    const dir = tempDir();
    const result = await train({ ir: model(), runDir: dir, cwd: dir, dataset: data });
    result.program.dispose();
    expect(readdirSync(dir).sort()).toEqual(['checkpoint', 'metrics.jsonl', 'model.ir.json', 'run.json']);
    expect(readdirSync(join(dir, 'checkpoint')).sort()).toEqual(['callbacks.safetensors', 'optimizer.safetensors', 'state.json', 'weights.safetensors']);
    const names = Object.keys(await weights(dir)).sort();
    expect(names).toEqual(['decoder.1.bias', 'decoder.out.bias', 'encoder.0.bias', 'encoder.0.kernel', 'z.bias', 'z.kernel']);
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.phase, l.epoch, l.step])).toEqual([
      ['train', 1, 3],
      ['train', 2, 6],
      ['train', 3, 9],
    ]);
    expect(Object.keys(lines[0].terms)).toEqual(['mse(x_hat, x)']);
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'))).toMatchObject({ backend: 'cpu', seed: 4, steps: 9 });
  });

  it('is deterministic: same seed, same weights and loss curve; another seed differs', async () => {
    const runs = [];
    for (const seed of [4, 4, 5]) {
      const dir = tempDir();
      const result = await train({ ir: model({ seed }), runDir: dir, cwd: dir, dataset: data });
      result.program.dispose();
      runs.push({ losses: result.metrics.map((m) => m.loss), weights: await weights(dir) });
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]!.losses).not.toEqual(runs[0]!.losses);
  });

  it('leaks no tensors over a whole run', async () => {
    const dir = tempDir();
    const before = tf.memory().numTensors;
    const result = await train({ ir: model(), runDir: dir, cwd: dir, dataset: data, validation: data });
    result.program.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops on a non-finite loss, names the step and term, and keeps the last good weights', async () => {
    const dir = tempDir();
    const error = await train({ ir: model({ lr: 1e30, epochs: 5 }), runDir: dir, cwd: dir, dataset: data }).catch((e) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect(error.term).toBe('mse(x_hat, x)');
    expect(error.message).toMatch(/at step \d+ \(phase 'train', epoch \d\): term mse\(x_hat, x\) is not finite/);
    const saved = await weights(dir);
    for (const values of Object.values(saved)) expect(values.every(Number.isFinite)).toBe(true);
    const state = JSON.parse(readFileSync(join(dir, 'checkpoint', 'state.json'), 'utf8'));
    expect(state.step).toBe(error.step - 1);
  });

  it('names the term that went non-finite from a crafted input', async () => {
    const dir = tempDir();
    const bad = uniformDataset(16, 8);
    bad.x[5] = Number.POSITIVE_INFINITY;
    const error = await train({ ir: model({ epochs: 1 }), runDir: dir, cwd: dir, dataset: bad }).catch((e) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect(error.step).toBe(1);
    expect(error.term).toBe('mse(x_hat, x)');
  });

  it('resumes with the optimizer state: 2 + 2 epochs equal 4 epochs exactly', async () => {
    const straight = tempDir();
    const full = await train({ ir: model({ epochs: 4 }), runDir: straight, cwd: straight, dataset: data });
    full.program.dispose();

    const split = tempDir();
    const first = await train({ ir: model({ epochs: 4 }), runDir: split, cwd: split, dataset: data, epochs: 2 });
    first.program.dispose();
    // Stopped after 2 of the phase's 4 epochs (--epochs 2); resuming with --epochs 4 continues at epoch 3.
    const second = await train({ ir: model({ epochs: 4 }), runDir: split, cwd: split, dataset: data, resume: true, epochs: 4 });
    second.program.dispose();
    expect(second.metrics.map((m) => m.epoch)).toEqual([1, 2, 3, 4]);
    expect(second.metrics.map((m) => m.loss)).toEqual(full.metrics.map((m) => m.loss));
    expect(await weights(split)).toEqual(await weights(straight));
  });

  it('resumes after a crash that tore the last metrics line, and keeps the file readable', async () => {
    const dir = tempDir();
    const first = await train({ ir: model({ epochs: 3 }), runDir: dir, cwd: dir, dataset: data, epochs: 1 });
    first.program.dispose();
    appendFileSync(join(dir, 'metrics.jsonl'), '{"phase":"train","epo'); // killed mid-write
    const second = await train({ ir: model({ epochs: 3 }), runDir: dir, cwd: dir, dataset: data, resume: true, epochs: 3 });
    second.program.dispose();
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { epoch: number }).epoch)).toEqual([1, 2, 3]);
  });
});

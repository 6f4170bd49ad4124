import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from '../../runtime/optim/optimizer.js';
import { decodeSafetensors, encodeSafetensors } from '../../runtime/runs/index.js';
import { loadRun } from '../../runtime/tasks/load-run.js';
import { saveCheckpoint } from '../../runtime/train/checkpoint.js';
import { LossExplodedError, NonFiniteLossError } from '../../runtime/train/errors.js';
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
    expect(error.message).toMatch(/at step \d+ \(phase 'train', epoch \d\): term mse\(x_hat, x\) is not finite; .*\(try a smaller learning rate\)$/);
    expect(error.beforeAnyUpdate).toBe(false);
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
    // Step 1's loss comes before any update: the data is at fault, not the learning rate (issue 22).
    expect(error.beforeAnyUpdate).toBe(true);
    expect(error.message).toBe(
      "the loss is NaN at step 1 (phase 'train', epoch 1), before any update: term mse(x_hat, x) is not finite on the data and the initial weights; " +
        'check the data for NaN, infinite or out-of-range values (training stopped, nothing was learned)',
    );
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

describe('resume', () => {
  it('checks every field of state.json before trusting it (an epoch of -3 once resumed into epochs -2, -1, 0)', async () => {
    const dir = tempDir();
    (await train({ ir: model({ epochs: 2 }), runDir: dir, cwd: dir, dataset: data })).program.dispose();
    const path = join(dir, 'checkpoint', 'state.json');
    const good = JSON.parse(readFileSync(path, 'utf8'));
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ epoch: -3 }, '`epoch` must be a whole number of at least 0, got -3'],
      [{ epoch: 1.5 }, '`epoch` must be a whole number of at least 0, got 1.5'],
      [{ step: '9' }, '`step` must be a whole number of at least 0, got "9"'],
      [{ stage: null }, '`stage` must be a whole number of at least 0, got null'],
      [{ rng: 1e300 }, '`rng` must be a whole number, got 1e+300'],
      [{ stoppedEarly: 'no' }, '`stoppedEarly` must be true or false, got "no"'],
      [{ files: [1] }, '`files` must map each file to its SHA-256'],
    ];
    for (const [change, why] of cases) {
      writeFileSync(path, JSON.stringify({ ...good, ...change }));
      await expect(train({ ir: model({ epochs: 4 }), runDir: dir, cwd: dir, dataset: data, resume: true, epochs: 4 }), why).rejects.toThrow(
        `${path}: ${why}; the checkpoint cannot be resumed`,
      );
    }
    writeFileSync(path, JSON.stringify({ ...good, epoch: 7 }));
    await expect(train({ ir: model({ epochs: 4 }), runDir: dir, cwd: dir, dataset: data, resume: true, epochs: 4 })).rejects.toThrow(
      "cannot resume: the checkpoint says 7 epochs of stage 'train' ran, but it has 4",
    );
  });

  it('refuses a run in the earlier format (state.json beside the weights) instead of restarting it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'state.json'), '{"stage":0,"epoch":1}');
    await expect(train({ ir: model(), runDir: dir, cwd: dir, dataset: data, resume: true })).rejects.toThrow(
      `cannot resume ${dir}: its checkpoint is in the format of an earlier aelang (state.json beside the weights); start a new run`,
    );
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('a run killed before its first checkpoint starts again from the beginning', async () => {
    const straight = tempDir();
    const full = await train({ ir: model(), runDir: straight, cwd: straight, dataset: data, batch: 8 });
    full.program.dispose();
    const dir = tempDir();
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ model: 'mlp', overrides: { batch: 8 } }));
    writeFileSync(join(dir, 'model.ir.json'), JSON.stringify(model()));
    writeFileSync(join(dir, 'metrics.jsonl'), '{"phase":"train","epoch":1,"step":6,"loss":1}\n'); // an epoch never checkpointed
    const resumed = await train({ ir: model(), runDir: dir, cwd: dir, dataset: data, resume: true });
    resumed.program.dispose();
    expect(resumed.metrics.map((m) => [m.epoch, m.step, m.loss])).toEqual(full.metrics.map((m) => [m.epoch, m.step, m.loss]));
    expect(await weights(dir)).toEqual(await weights(straight));
  });
});

describe('every number checked', () => {
  const linear = (optimizer: IRModel['phases'][number]['optimizer']) => {
    const objective = [mseTerm()];
    return mlpAutoencoder({ inputWidth: 8, hidden: [6], code: 3, output: 'linear', objective, phases: [phase(objective, { epochs: 6, batch: 8, seed: 4, optimizer })] });
  };

  for (const optimizer of [
    { kind: 'adam', lr: 10, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 },
    { kind: 'rmsprop', lr: 10, rho: 0.9, momentum: 0, epsilon: 1e-7, weightDecay: 0 },
  ] as const) {
    it(`stops a loss that explodes while finite (${optimizer.kind} at lr 10), naming the phase and step`, async () => {
      const dir = tempDir();
      const error = await train({ ir: linear(optimizer), runDir: dir, cwd: dir, dataset: uniformDataset(32, 8) }).catch((e) => e);
      expect(error).toBeInstanceOf(LossExplodedError);
      expect(error.message).toMatch(/^the loss exploded to \d\.\d{3}e\+\d+ at step \d+ \(phase 'train', epoch 1\), over 1e6 times its first value/);
      expect(Math.abs(error.value)).toBeGreaterThan(1e6 * Math.abs(error.first));
      expect(Number.isFinite(error.value)).toBe(true);
      expect(error.step).toBeGreaterThan(1);
    });
  }

  it('refuses NaN weights when a run is opened, naming the file and tensor', async () => {
    const dir = tempDir();
    const result = await train({ ir: model({ epochs: 1 }), runDir: dir, cwd: dir, dataset: data });
    result.program.dispose();
    const copy = tempDir();
    const { tensors } = decodeSafetensors(readFileSync(join(dir, 'checkpoint', 'weights.safetensors')));
    tensors['z.kernel']!.data[4] = Number.NaN;
    writeFileSync(join(copy, 'model.ir.json'), readFileSync(join(dir, 'model.ir.json')));
    writeFileSync(join(copy, 'weights.safetensors'), encodeSafetensors(tensors));
    await expect(loadRun(copy)).rejects.toThrow(`${join(copy, 'weights.safetensors')}: tensor 'z.kernel' holds NaN at index 4; refusing non-finite values`);
  });

  it('refuses a checkpoint whose optimizer state holds Inf on resume, naming the tensor', async () => {
    const dir = tempDir();
    (await train({ ir: model({ epochs: 3 }), runDir: dir, cwd: dir, dataset: data, epochs: 1 })).program.dispose();
    const file = join(dir, 'checkpoint', 'optimizer.safetensors');
    const { tensors, metadata } = decodeSafetensors(readFileSync(file));
    tensors['z.kernel/v']!.data[0] = Number.POSITIVE_INFINITY;
    const bytes = encodeSafetensors(tensors, metadata);
    writeFileSync(file, bytes);
    // With the old checksum it is a damaged file; with a matching one, the values themselves are refused.
    await expect(train({ ir: model({ epochs: 3 }), runDir: dir, cwd: dir, dataset: data, resume: true, epochs: 3 })).rejects.toThrow(`${file} does not match the checksum in state.json`);
    const statePath = join(dir, 'checkpoint', 'state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    state.files['optimizer.safetensors'] = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(statePath, JSON.stringify(state));
    await expect(train({ ir: model({ epochs: 3 }), runDir: dir, cwd: dir, dataset: data, resume: true, epochs: 3 })).rejects.toThrow(
      `${file}: tensor 'z.kernel/v' holds Infinity at index 0; refusing non-finite values`,
    );
  });

  it('refuses to save non-finite weights, naming the tensor', async () => {
    const dir = tempDir();
    const result = await train({ ir: model({ epochs: 1 }), runDir: dir, cwd: dir, dataset: data });
    result.program.variables.get('encoder.0.bias')!.assign(tf.fill([6], Number.NaN));
    const optimizer = createOptimizer(adam(), new Set());
    const state = JSON.parse(readFileSync(join(dir, 'checkpoint', 'state.json'), 'utf8'));
    await expect(saveCheckpoint(dir, { program: result.program, optimizer, state, callbacks: {} })).rejects.toThrow(
      "weights: tensor 'encoder.0.bias' holds NaN at index 0; refusing non-finite values",
    );
    optimizer.dispose();
    result.program.dispose();
  });
});

// Tasks on a trained run: loadRun checks the IR and the checkpoint; encode, reconstruct, evaluate.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, RunFileError } from '../../runtime/runs/index.js';
import { encode, evaluate, loadRun, reconstruct } from '../../runtime/tasks/index.js';
import { train } from '../../runtime/train/train.js';
import { mlpAutoencoder } from './ir-builders.js';
import { uniformDataset } from './data-helpers.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

const data = uniformDataset(20, 6);
let runDir = '';

beforeAll(async () => {
  runDir = mkdtempSync(join(tmpdir(), 'ae-tasks-'));
  const ir = mlpAutoencoder({ inputWidth: 6, hidden: [4], code: 2, output: 'sigmoid' });
  const result = await train({ ir, runDir, cwd: runDir, dataset: data });
  result.program.dispose();
});

function copyRun(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ae-tasks-copy-'));
  // A run assembled by hand: the IR and weights side by side, as an exported run is.
  writeFileSync(join(dir, 'model.ir.json'), readFileSync(join(runDir, 'model.ir.json')));
  writeFileSync(join(dir, 'weights.safetensors'), readFileSync(join(runDir, 'checkpoint', 'weights.safetensors')));
  return dir;
}

describe('tasks', () => {
  it('encode, reconstruct and evaluate agree with each other', async () => {
    const { program } = await loadRun(runDir);
    const codes = encode(program, data);
    expect(codes.shape).toEqual([20, 2]);
    const recon = reconstruct(program, data, { count: 5, batch: 3 });
    expect(recon.shape).toEqual([5, 6]);
    const full = reconstruct(program, data);
    const mse = full.values.reduce((s, v, i) => s + (v - data.x[i]!) ** 2, 0) / full.values.length;
    const result = evaluate(program, data, { batch: 7 });
    expect(result.samples).toBe(20);
    expect(result.mse).toBeCloseTo(mse, 6);
    expect(result.loss).toBeCloseTo(mse, 6); // the objective is mse(x_hat, x)
    expect(Object.keys(result.terms)).toEqual(['mse(x_hat, x)']);
    program.dispose();
  });

  it('a loaded run reproduces the trained weights exactly', async () => {
    const a = await loadRun(runDir);
    const b = await loadRun(runDir);
    expect(Array.from(a.program.variables.get('z.kernel')!.dataSync())).toEqual(Array.from(b.program.variables.get('z.kernel')!.dataSync()));
    a.program.dispose();
    b.program.dispose();
  });

  it('a truncated checkpoint is an error naming the file', async () => {
    const dir = copyRun();
    const bytes = readFileSync(join(dir, 'weights.safetensors'));
    writeFileSync(join(dir, 'weights.safetensors'), bytes.subarray(0, bytes.length - 10));
    const before = tf.memory().numTensors;
    await expect(loadRun(dir)).rejects.toThrow(CheckpointError);
    await expect(loadRun(dir)).rejects.toThrow(/weights\.safetensors/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a checkpoint of another shape is an error naming the parameter', async () => {
    const dir = copyRun();
    const ir = JSON.parse(readFileSync(join(dir, 'model.ir.json'), 'utf8'));
    const other = mlpAutoencoder({ inputWidth: 6, hidden: [5], code: 2, output: 'sigmoid' });
    writeFileSync(join(dir, 'model.ir.json'), JSON.stringify({ ...other, phases: ir.phases }));
    await expect(loadRun(dir)).rejects.toThrow(/weights\.safetensors: parameter 'encoder\.0\.kernel' has shape \[6, 4\], the model expects \[6, 5\]/);
  });

  it('an invalid IR is an error naming the file and the schema path', async () => {
    const dir = copyRun();
    writeFileSync(join(dir, 'model.ir.json'), JSON.stringify({ irVersion: 1, model: 'broken' }));
    await expect(loadRun(dir)).rejects.toThrow(RunFileError);
    await expect(loadRun(dir)).rejects.toThrow(/model\.ir\.json: IR/);
  });
});

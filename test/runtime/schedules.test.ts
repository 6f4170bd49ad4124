// Learning-rate schedules as applied by the training loop (the rate of every epoch, recorded in
// metrics.jsonl) and early stopping's restoring of the best epoch's weights.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IRPhase, IRTerm, LrSchedule } from '../../ir/types.js';
import { createOptimizer } from '../../runtime/optim/optimizer.js';
import { plateauStep } from '../../runtime/optim/lr-schedule.js';
import { decodeSafetensors } from '../../runtime/runs/index.js';
import { train } from '../../runtime/train/train.js';
import { adam, mlpAutoencoder, mseTerm, phase } from './ir-builders.js';
import { uniformDataset } from './data-helpers.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

const data = uniformDataset(32, 8);
const held = uniformDataset(32, 8, 9);

function model(settings: Partial<IRPhase>) {
  const objective = [mseTerm()];
  return mlpAutoencoder({ inputWidth: 8, hidden: [6], code: 3, output: 'sigmoid', tied: true, objective, phases: [phase(objective, { batch: 8, seed: 4, ...settings })] });
}

async function run(settings: Partial<IRPhase>) {
  const dir = mkdtempSync(join(tmpdir(), 'ae-sched-'));
  const result = await train({ ir: model(settings), runDir: dir, cwd: dir, dataset: data, validation: held });
  result.program.dispose();
  const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { lr: number; val_loss: number });
  const { tensors } = decodeSafetensors(readFileSync(join(dir, 'checkpoint', 'weights.safetensors')));
  const weights = Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, Array.from(t.data)]));
  return { result, lines, weights };
}

const lrs = async (lrSchedule: LrSchedule, epochs: number, lr = 0.01) => (await run({ epochs, optimizer: adam(lr), lrSchedule })).lines.map((l) => l.lr);

describe('learning-rate schedules', () => {
  it('cosine with warm-up: lr·(e+1)/(w+1) during warm-up, then cosine annealing to min', async () => {
    const got = await lrs({ kind: 'cosine', min: 0.001, warmup: 1 }, 5);
    // warm-up 0.01·1/2; then t = 0..3 of 4: 0.001 + 0.009·(1 + cos(πt/4))/2
    const expected = [0.005, 0.01, 0.0086819805, 0.0055, 0.0023180195];
    got.forEach((lr, i) => expect(lr).toBeCloseTo(expected[i]!, 9));
  });

  it('step: multiplies by factor every n epochs', async () => {
    expect(await lrs({ kind: 'step', every: 2, factor: 0.5, warmup: 0 }, 5)).toEqual([0.01, 0.01, 0.005, 0.005, 0.0025]);
  });

  it('a constant rate without a schedule, recorded every epoch', async () => {
    expect((await run({ epochs: 2, optimizer: adam(0.02) })).lines.map((l) => l.lr)).toEqual([0.02, 0.02]);
  });

  it('plateau: reduces by factor after `patience` epochs without improvement of the monitored loss', async () => {
    const schedule: LrSchedule = { kind: 'plateau', factor: 0.5, patience: 2, min: 0.03, minDelta: 0, warmup: 0 };
    const { lines } = await run({ epochs: 10, optimizer: adam(0.3), lrSchedule: schedule });
    // Replay the rule on the recorded validation losses: the rate of epoch e+1 follows from epochs 1..e.
    let lr = 0.3;
    let best = Infinity;
    let wait = 0;
    const expected: number[] = [];
    for (const line of lines) {
      expected.push(lr);
      if (line.val_loss < best) [best, wait] = [line.val_loss, 0];
      else if (++wait >= 2) [lr, wait] = [Math.max(lr * 0.5, 0.03), 0];
    }
    expect(lines.map((l) => l.lr)).toEqual(expected);
    expect(new Set(expected).size).toBeGreaterThan(1); // the losses of this run do plateau
  });

  it('plateau rule, step by step', () => {
    const schedule = { kind: 'plateau', factor: 0.1, patience: 2, min: 1e-4, minDelta: 0.01, warmup: 0 } as const;
    const states = [1, 0.5, 0.495, 0.49, 0.3, 0.31, 0.32, 0.33, 0.34].reduce(
      (acc, loss) => [...acc, plateauStep(schedule, acc[acc.length - 1]!, loss)],
      [{ lr: 1e-2, best: null as number | null, wait: 0 }],
    );
    expect(states.map((s) => s.lr)).toEqual([1e-2, 1e-2, 1e-2, 1e-2, 1e-3, 1e-3, 1e-3, 1e-4, 1e-4, 1e-4]);
    expect(states.map((s) => s.wait)).toEqual([0, 0, 0, 1, 0, 0, 1, 0, 1, 0]);
  });

  it('the optimiser uses the rate it is given: an sgd step moves w by lr·g', () => {
    const w = tf.variable(tf.tensor1d([1, 2]), true, 'w');
    const optimizer = createOptimizer({ kind: 'sgd', lr: 0.1, momentum: 0, weightDecay: 0 }, new Set());
    optimizer.learningRate = 0.25;
    const g = tf.tensor1d([4, -8]);
    optimizer.apply({ w: g }, new Map([['w', w]]));
    expect(Array.from(w.dataSync())).toEqual([0, 4]);
    g.dispose();
    w.dispose();
    optimizer.dispose();
  });
});

describe('early stopping restores the best weights', () => {
  const early = (restoreBest: boolean) => ({ epochs: 12, optimizer: adam(0.3), earlyStop: { patience: 2, minDelta: 0, restoreBest } });

  it('ends the stage with the weights of its best epoch (by validation loss)', async () => {
    const stopped = await run(early(true));
    expect(stopped.result.stoppedEarly).toEqual(['train']);
    const losses = stopped.lines.map((l) => l.val_loss);
    const best = losses.indexOf(Math.min(...losses)) + 1;
    expect(best).toBeLessThan(losses.length); // the last epoch was not the best: restoring changes the weights
    const uptoBest = await run({ epochs: best, optimizer: adam(0.3) });
    expect(stopped.weights).toEqual(uptoBest.weights);
  });

  it('keeps the last epoch’s weights with restore_best = false', async () => {
    const stopped = await run(early(false));
    const last = await run({ epochs: stopped.lines.length, optimizer: adam(0.3) });
    expect(stopped.weights).toEqual(last.weights);
  });
});

describe('loss coefficient schedules', () => {
  it('applies a ramp per epoch, to training and validation, and records it in metrics.jsonl', async () => {
    const objective: IRTerm[] = [mseTerm(), { fn: 'l1', weight: 1, schedule: { kind: 'ramp', from: 0, to: 1, epochs: 2 }, args: ['z'], options: { reduce: 'mean' } }];
    const ir = mlpAutoencoder({ inputWidth: 8, hidden: [6], code: 3, output: 'sigmoid', objective, phases: [phase(objective, { batch: 8, seed: 4, epochs: 3 })] });
    const dir = mkdtempSync(join(tmpdir(), 'ae-coef-'));
    const result = await train({ ir, runDir: dir, cwd: dir, dataset: data, validation: held });
    result.program.dispose();
    type Line = { loss: number; terms: Record<string, number>; coefficients?: Record<string, number> };
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
    expect(lines.map((l) => l.coefficients)).toEqual([{ 'l1(z)': 0 }, { 'l1(z)': 0.5 }, { 'l1(z)': 1 }]);
    // The epoch's loss is its terms weighted by that epoch's coefficient.
    for (const line of lines) expect(line.loss).toBeCloseTo(line.terms['mse(x_hat, x)']! + line.coefficients!['l1(z)']! * line.terms['l1(z)']!, 5);
  });

  it('writes no coefficients for a loss without a schedule', async () => {
    const { lines } = await run({ epochs: 1 });
    expect(lines[0]).not.toHaveProperty('coefficients');
  });
});

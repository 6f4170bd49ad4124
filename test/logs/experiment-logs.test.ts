// Experiment logs and user callbacks. The library's train() calls the caller's callbacks with every
// step and epoch; `ae train --log tensorboard,csv,mlflow` writes TensorBoard event files (read back
// by an independent reader that checks the TFRecord CRCs and decodes the protos: TensorBoard itself
// is not installable here), CSV files and an MLflow file store, each holding per-step and per-epoch
// scalars equal to metrics.jsonl, the hyperparameters and the reconstruction grid.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { analyzeSource, selectBackend, train } from '../../index.js';
import type { MetricsLine } from '../../runtime/train/callbacks/metrics-log.js';
import type { StepInfo, TrainBeginInfo } from '../../runtime/train/callbacks/user-callbacks.js';
import { PYTHON } from '../export/python.js';

// 24 samples, batch 8: 3 steps an epoch, 2 epochs; an [8, 8, 1] image input (the smallest `ae train`
// draws as a picture), so the run draws a grid.
const MODEL = `model tiny_image {
  input x: [8, 8, 1] in [0, 1]
  encoder { flatten, dense(6, act = tanh) }
  latent z = dense(2)
  decoder { dense(64), reshape([8, 8, 1]) }
  output x_hat = sigmoid
  loss = mse(x_hat, x)
  train { data = synthetic(samples = 24, seed = 4), epochs = 2, batch = 8, optimizer = adam(lr = 0.01) }
}
`;

let cwd = '';
async function ae(...argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const code = await main(argv, { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), isTTY: false, cwd });
  return { code, ...out };
}

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'ae-logs-'));
  writeFileSync(join(cwd, 'tiny.ae'), MODEL);
  await selectBackend('cpu');
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('train({ callbacks })', () => {
  it('calls onTrainBegin, onStageBegin, onStepEnd per step, onEpochEnd per epoch and onTrainEnd, in order', async () => {
    const calls: string[] = [];
    let begin: TrainBeginInfo | undefined;
    const steps: StepInfo[] = [];
    const epochs: MetricsLine[] = [];
    const ir = analyzeSource(MODEL, join(cwd, 'tiny.ae'), { cwd }).irs[0]!;
    mkdirSync(join(cwd, 'library-run'));
    const result = await train({
      ir,
      runDir: join(cwd, 'library-run'),
      cwd,
      callbacks: [
        {
          onTrainBegin: (info) => void ((begin = info), calls.push('begin')),
          onStageBegin: (stage) => void calls.push(`stage ${stage.name} ${stage.epochs}`),
          onStepEnd: async (step) => {
            await new Promise((resolve) => setTimeout(resolve, 1)); // awaited: the next step waits
            steps.push(step);
            calls.push(`step ${step.step}`);
          },
          onEpochEnd: (line) => void (epochs.push(line), calls.push(`epoch ${line.epoch}`)),
          onTrainEnd: (info) => void calls.push(`end ${info.steps} ${info.metrics.length}`),
        },
      ],
    });
    try {
      expect(calls).toEqual(['begin', 'stage train 2', 'step 1', 'step 2', 'step 3', 'epoch 1', 'step 4', 'step 5', 'step 6', 'epoch 2', 'end 6 2']);
      expect(begin).toMatchObject({ model: 'tiny_image', step: 0, stages: [{ name: 'train', epochs: 2 }], hyperparameters: { 'optimizer.kind': 'adam', 'optimizer.lr': 0.01, batch: 8, epochs: 2 } });
      expect(steps.map((s) => [s.epoch, s.batch, s.batches, s.size])).toEqual([[1, 1, 3, 8], [1, 2, 3, 8], [1, 3, 3, 8], [2, 1, 3, 8], [2, 2, 3, 8], [2, 3, 3, 8]]);
      expect(steps.every((s) => Number.isFinite(s.loss) && s.loss > 0)).toBe(true);
      expect(epochs).toEqual(result.metrics);
    } finally {
      result.program.dispose();
    }
  }, 60_000);

  it('stops training with a callback’s error', async () => {
    const ir = analyzeSource(MODEL, join(cwd, 'tiny.ae'), { cwd }).irs[0]!;
    mkdirSync(join(cwd, 'failing-run'));
    const failing = train({ ir, runDir: join(cwd, 'failing-run'), cwd, callbacks: [{ onStepEnd: (s) => { if (s.step === 2) throw new Error('stop at 2'); } }] });
    await expect(failing).rejects.toThrow('stop at 2');
  });
});

describe('ae train --log', () => {
  let metrics: MetricsLine[] = [];
  beforeAll(async () => {
    const result = await ae('train', 'tiny.ae', '--backend', 'cpu', '-o', 'run', '--quiet', '--log', 'tensorboard,csv,mlflow', '--log-dir', 'logs');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`wrote the tensorboard log in ${join(cwd, 'logs', 'tensorboard', 'run')}\n`);
    metrics = readFileSync(join(cwd, 'run', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(metrics.map((m) => [m.epoch, m.step])).toEqual([[1, 3], [2, 6]]);
  }, 60_000);

  const near = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)); // float32 in the protos

  it('writes TensorBoard events: scalars per step and epoch, hyperparameters as text, the grid as a PNG image', () => {
    const dir = join(cwd, 'logs', 'tensorboard', 'run');
    const [file, ...others] = readdirSync(dir);
    expect(others).toEqual([]);
    expect(file).toMatch(/^events\.out\.tfevents\.\d+\./);
    const events = JSON.parse(execFileSync(PYTHON, [join(import.meta.dirname, 'read-tfevents.py'), join(dir, file!)], { encoding: 'utf8' })) as {
      step: number;
      file_version?: string;
      values?: { tag: string; simple_value?: number; text?: string[]; plugin?: string; dtype?: number; image?: Record<string, number | boolean> }[];
    }[];
    expect(events[0]).toMatchObject({ file_version: 'brain.Event:2' });
    const values = events.flatMap((e) => (e.values ?? []).map((v) => ({ step: e.step, ...v })));
    const stepLoss = values.filter((v) => v.tag === 'step/loss');
    expect(stepLoss.map((v) => v.step)).toEqual([1, 2, 3, 4, 5, 6]);
    const epochLoss = values.filter((v) => v.tag === 'epoch/loss');
    expect(epochLoss.map((v) => v.step)).toEqual([3, 6]);
    epochLoss.forEach((v, i) => expect(near(v.simple_value!, metrics[i]!.loss)).toBe(true));
    expect(values.filter((v) => v.tag === 'epoch/lr').map((v) => v.simple_value)).toEqual([0.009999999776482582, 0.009999999776482582]);
    const text = values.find((v) => v.tag === 'hyperparameters')!;
    expect(text).toMatchObject({ plugin: 'text', dtype: 7 });
    expect(text.text![0]).toContain('| optimizer.lr | 0.01 |');
    const image = values.find((v) => v.tag === 'reconstructions')!;
    const png = readFileSync(join(cwd, 'run', 'reconstructions.png'));
    expect(image.step).toBe(6);
    expect(image.image).toEqual({ height: png.readUInt32BE(20), width: png.readUInt32BE(16), colorspace: 1, png_bytes: png.length, png_signature: true, png_width: png.readUInt32BE(16), png_height: png.readUInt32BE(20) });
  });

  it('writes CSV: a row per epoch with metrics.jsonl’s numbers, a row per step, the hyperparameters', () => {
    const dir = join(cwd, 'logs', 'csv', 'run');
    const rows = readFileSync(join(dir, 'epochs.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const header = rows.shift()!;
    expect(header.slice(0, 6)).toEqual(['phase', 'epoch', 'step', 'loss', 'lr', 'seconds']);
    expect(rows.map((r) => [r[0], r[1], r[2], Number(r[3])])).toEqual(metrics.map((m) => ['train', String(m.epoch), String(m.step), m.loss]));
    const steps = readFileSync(join(dir, 'steps.csv'), 'utf8').trim().split('\n');
    expect(steps[0]).toBe('phase,epoch,batch,step,loss');
    expect(steps.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual(['train,1,1,1', 'train,1,2,2', 'train,1,3,3', 'train,2,1,4', 'train,2,2,5', 'train,2,3,6']);
    expect(readFileSync(join(dir, 'hparams.csv'), 'utf8')).toContain('\noptimizer.lr,0.01\n');
    expect(readFileSync(join(dir, 'reconstructions.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('writes an MLflow file store: experiment 0, a FINISHED run with metrics, params, tags and the grid', () => {
    const root = join(cwd, 'logs', 'mlruns', '0');
    const yaml = (path: string) => JSON.parse(execFileSync(PYTHON, ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', path], { encoding: 'utf8' }));
    expect(yaml(join(root, 'meta.yaml'))).toMatchObject({ experiment_id: '0', name: 'Default', lifecycle_stage: 'active' });
    const [runId, ...more] = readdirSync(root).filter((e) => e !== 'meta.yaml');
    expect(more).toEqual([]);
    const meta = yaml(join(root, runId!, 'meta.yaml'));
    expect(meta).toMatchObject({ run_id: runId, run_uuid: runId, run_name: 'run', experiment_id: '0', status: 3, lifecycle_stage: 'active', source_type: 4 });
    expect(meta.end_time).toBeGreaterThanOrEqual(meta.start_time);
    const loss = readFileSync(join(root, runId!, 'metrics', 'loss'), 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number));
    expect(loss.map(([, value, step]) => [value, step])).toEqual(metrics.map((m) => [m.loss, m.step]));
    expect(loss.every(([timestamp]) => timestamp! > 1.7e12)).toBe(true);
    expect(readFileSync(join(root, runId!, 'metrics', 'step_loss'), 'utf8').trim().split('\n').map((l) => l.split(' ')[2])).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(readFileSync(join(root, runId!, 'params', 'optimizer.lr'), 'utf8')).toBe('0.01');
    expect(readFileSync(join(root, runId!, 'tags', 'mlflow.runName'), 'utf8')).toBe('run');
    expect(readFileSync(join(root, runId!, 'artifacts', 'reconstructions.png'))).toEqual(readFileSync(join(cwd, 'run', 'reconstructions.png')));
  });

  it.each([
    [['--log', 'wandb'], "option '--log' takes tensorboard, csv, mlflow (a comma list), got 'wandb'"],
    [['--log-dir', 'x'], '--log-dir needs --log tensorboard, csv or mlflow'],
  ])('ae train %j is misuse', async (flags, message) => {
    const result = await ae('train', 'tiny.ae', '-o', 'bad', ...flags);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

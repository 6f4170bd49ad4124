// The round trip through PyTorch: a tiny run is exported, trained one more epoch by train.py under
// a 2-process torchrun (gloo, CPU) on a float NPY file with a CSV of raw 0..255 values held out, and
// brought back with `ae import`. train.py starts from the run's weights (its held-out loss before
// training is `ae eval`'s loss of the run), limits the held-out data with --limit, reads and scales
// CSV and NPY as `ae` does, and the imported run gives PyTorch's numbers: `ae eval`'s loss is
// train.py's last held-out loss and `ae encode` writes PyTorch's codes, within 1e-5.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { parseNpy } from '../../runtime/data/npy.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { maxDifference, random } from './models.js';
import { PYTHON, requireTorch } from './python.js';

const MODEL = `model tiny_dense {
  input x: [6] in [0, 1]
  encoder { dense(5, act = tanh) }
  latent z = dense(3)
  decoder { dense(5, act = tanh), dense(6) }
  output x_hat = sigmoid
  loss = mse(x_hat, x)
  train { data = synthetic(samples = 32, seed = 1), epochs = 1, batch = 8, optimizer = adam(lr = 0.05) }
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
// torchrun's --tee interleaves the processes' lines: `[default1]:{…}` can follow `[default0]:{…}` on one line.
const lines = (stdout: string): Line[] =>
  stdout
    .split(/\n|(?=\[default\d+\]:)/)
    .filter((l) => /^(\[default\d+\]:)?\{/.test(l))
    .map((l) => JSON.parse(l.slice(l.indexOf('{'))));

const evalLoss = async (run: string) => {
  const result = await ae('eval', run, '--data', 'held-out.csv', '--limit', '40', '--format', 'json', '--backend', 'cpu', '--quiet');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { loss: number; samples: number };
};

let torchLines: Line[] = [];
beforeAll(async () => {
  requireTorch();
  cwd = mkdtempSync(join(tmpdir(), 'ae-roundtrip-'));
  writeFileSync(join(cwd, 'tiny.ae'), MODEL);
  const next = random(11);
  // Training data: 64 float32 samples in [0, 1]. Held out: 48 rows of raw 0..255 integers with a
  // header, which ae (and train.py) read as 8-bit pixels, /255.
  writeFileSync(join(cwd, 'train.npy'), encodeNpy(Float32Array.from({ length: 64 * 6 }, next), [64, 6]));
  const rows = Array.from({ length: 48 }, () => Array.from({ length: 6 }, () => Math.floor(next() * 256)).join(','));
  writeFileSync(join(cwd, 'held-out.csv'), `a,b,c,d,e,f\n${rows.join('\n')}\n`);
  const trained = await ae('train', 'tiny.ae', '--backend', 'cpu', '-o', 'run', '--quiet');
  expect(trained.code, trained.stderr).toBe(0);
  expect(await ae('export', 'run', '--format', 'pytorch', '-o', 'torch')).toMatchObject({ code: 0 });
}, 120_000);
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('PyTorch round trip', () => {
  it('train.py bakes in no local path and writes the IR beside itself', () => {
    const trainPy = readFileSync(join(cwd, 'torch', 'train.py'), 'utf8');
    expect(trainPy).not.toContain(cwd);
    expect(trainPy).toContain('"data": {"argument": "synthetic", "readable": False}');
    expect(JSON.parse(readFileSync(join(cwd, 'torch', 'model.ir.json'), 'utf8')).model).toBe('tiny_dense');
  });

  it('trains under torchrun from the run’s weights, and ae import gives PyTorch’s numbers within 1e-5', async () => {
    const before = await evalLoss('run');
    expect(before.samples).toBe(40);
    const torchrun = ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=2', '--redirects', '1', '--tee', '1', '--log_dir', join(cwd, 'logs')];
    const stdout = execFileSync(PYTHON, [...torchrun, 'train.py', '--data', '../train.npy', '--validate', '../held-out.csv', '--limit', '40', '--epochs', '1'], {
      cwd: join(cwd, 'torch'),
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1' },
      timeout: 120_000,
    });
    torchLines = lines(stdout);
    const [start, epoch, wrote] = torchLines;
    expect(torchLines).toHaveLength(3);
    expect(start).toMatchObject({ phase: 'train', epoch: 0, held_out_samples: 40 });
    expect(epoch).toMatchObject({ phase: 'train', epoch: 1, processes: 2 });
    expect(wrote).toEqual({ wrote: 'trained.safetensors' });
    // Starting from the run's weights: PyTorch's loss of the untouched model is aelang's.
    expect(maxDifference([start!.held_out_loss!], [before.loss])).toBeLessThan(1e-5);
    expect(Math.abs(epoch!.held_out_loss! - before.loss)).toBeGreaterThan(1e-3); // the epoch changed the weights

    const imported = await ae('import', 'torch/trained.safetensors', '-o', 'imported');
    expect(imported).toEqual({ code: 0, stdout: '', stderr: 'imported tiny_dense: 8 parameters, 109 values (trained by train.py in 2 processes) into imported\n' });
    const after = await evalLoss('imported');
    expect(maxDifference([after.loss], [epoch!.held_out_loss!])).toBeLessThan(1e-5);

    // ae score on the imported run: per-sample reconstruction scores whose mean is that loss.
    const scored = await ae('score', 'imported', '--data', 'held-out.csv', '--limit', '40', '--threshold', '0.05', '-o', 'scores.npy', '--backend', 'cpu', '--quiet');
    expect(scored.code, scored.stderr).toBe(0);
    const scores = parseNpy(readFileSync(join(cwd, 'scores.npy')), 'scores.npy').data;
    expect(scores).toHaveLength(40);
    expect(maxDifference([Array.from(scores).reduce((a, b) => a + b, 0) / 40], [epoch!.held_out_loss!])).toBeLessThan(1e-5);

    expect((await ae('encode', 'imported', '--data', 'held-out.csv', '-o', 'codes.npy', '--backend', 'cpu', '--quiet')).code).toBe(0);
    execFileSync(PYTHON, [join(import.meta.dirname, 'encode-pytorch.py'), join(cwd, 'torch'), join(cwd, 'torch', 'trained.safetensors'), join(cwd, 'held-out.csv'), join(cwd, 'torch-codes.npy')], { encoding: 'utf8' });
    const ours = parseNpy(readFileSync(join(cwd, 'codes.npy')), 'codes.npy');
    const theirs = parseNpy(readFileSync(join(cwd, 'torch-codes.npy')), 'torch-codes.npy');
    expect(ours.shape).toEqual([48, 3]);
    expect(theirs.shape).toEqual([48, 3]);
    expect(maxDifference(theirs.data, ours.data)).toBeLessThan(1e-5);
  }, 180_000);

  it('ae import refuses weights that do not fit the model, leaving no run behind', async () => {
    const other = await ae('import', 'torch/weights.safetensors', '-o', 'wrong');
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/^ae import: .*weights\.safetensors: tensor 'encoder_0_dense\.weight' is not a parameter of model 'tiny_dense' \(weights of another model, or a PyTorch state_dict/);
    expect(existsSync(join(cwd, 'wrong'))).toBe(false);
    expect((await ae('import', 'torch', '-o', 'imported'))).toMatchObject({ code: 1, stderr: 'ae import: imported already holds files; choose another --out, or resume the run in it\n' });
    expect(await ae('import', 'tiny.ae', '-o', 'x')).toMatchObject({ code: 2, stderr: expect.stringContaining("'tiny.ae' is not a .safetensors file") });
    expect(await ae('import', 'run', '-o', 'x')).toMatchObject({ code: 2, stderr: expect.stringContaining("'run' holds no trained.safetensors") });
  });
});

// `ae train | eval | encode | reconstruct` end to end on a tiny model and an .npy data file.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { adam, mlpAutoencoder, mseTerm, phase } from './ir-builders.js';
import { uniformDataset } from './data-helpers.js';

function cli(cwd: string, isTTY = false) {
  const out = { stdout: '', stderr: '' };
  const io = { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), isTTY, cwd };
  return { out, run: (...argv: string[]) => main(argv, io) };
}

let cwd = '';

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'ae-cli-'));
  const data = uniformDataset(40, 16);
  writeFileSync(join(cwd, 'x.npy'), encodeNpy(data.x, [40, 16]));
  const objective = [mseTerm()];
  const ir = mlpAutoencoder({ inputWidth: 16, hidden: [8], code: 2, output: 'sigmoid', objective, phases: [phase(objective, { epochs: 3, batch: 8, optimizer: adam(0.01) })] });
  writeFileSync(join(cwd, 'model.ir.json'), JSON.stringify(ir));
});

describe('ae train --limit with validation data', () => {
  it('says the per-epoch validation was limited, and that the held-out figure was not (issue 22)', async () => {
    writeFileSync(
      join(cwd, 'limited.ae'),
      'model m {\n  input x: [16] in [0, 1]\n  encoder { dense(4) }\n  latent z = dense(2)\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = mse(x_hat, x)\n' +
        '  train { data = npy("x.npy"), validate = npy("x.npy"), epochs = 1, batch = 8 }\n}\n',
    );
    const train = cli(cwd);
    const code = await train.run('train', 'limited.ae', '--backend', 'cpu', '--out', 'limited-run', '--limit', '16', '--quiet');
    expect(code).toBe(0);
    expect(train.out.stderr).toMatch(/trained m: 2 steps, loss \S+ val_loss \S+ \(validation limited to 16 samples by --limit\)/);
    expect(train.out.stderr).toMatch(/validation data \(\S+, 40 samples, not limited by --limit\): loss /);
  });
});

describe('ae train and the run tasks', () => {
  it('trains into --out, then evaluates, encodes and reconstructs the run', async () => {
    const train = cli(cwd);
    expect(await train.run('train', 'model.ir.json', '--data', 'x.npy', '--backend', 'cpu', '--out', 'run', '--epochs', '2', '--seed', '3')).toBe(0);
    expect(train.out.stdout.trim()).toBe(join(cwd, 'run'));
    expect(train.out.stderr).toMatch(/train 1\/2 loss \d\.\d+ \(/);
    expect(train.out.stderr).toMatch(/trained mlp: 10 steps/);
    expect(JSON.parse(readFileSync(join(cwd, 'run', 'run.json'), 'utf8'))).toMatchObject({ backend: 'cpu', seed: 3 });

    const evaluation = cli(cwd);
    expect(await evaluation.run('eval', 'run', '--data', 'x.npy', '--format', 'json', '--backend', 'cpu')).toBe(0);
    const result = JSON.parse(evaluation.out.stdout);
    expect(result.samples).toBe(40);
    expect(result.mse).toBeGreaterThan(0);
    expect(result.loss).toBeCloseTo(result.mse, 5);
    // A plain autoencoder has no head, gaussian or vq latent: no family figures.
    expect(Object.keys(result).sort()).toEqual(['data', 'loss', 'model', 'mse', 'samples', 'terms']);

    const encode = cli(cwd);
    expect(await encode.run('encode', 'run', '--data', 'x.npy', '-o', 'codes.csv', '--backend', 'cpu')).toBe(0);
    const lines = readFileSync(join(cwd, 'codes.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('z0,z1');
    expect(lines).toHaveLength(41);

    const recon = cli(cwd);
    expect(await recon.run('reconstruct', 'run', '--data', 'x.npy', '-n', '4', '-o', 'grid.png', '--backend', 'cpu')).toBe(0);
    expect(readFileSync(join(cwd, 'grid.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('resumes a run: --epochs 1 then --resume --epochs 3 trains the remaining epochs', async () => {
    const first = cli(cwd);
    expect(await first.run('train', 'model.ir.json', '--data', 'x.npy', '--backend', 'cpu', '--out', 'resumed', '--epochs', '1', '--seed', '3')).toBe(0);
    const second = cli(cwd);
    expect(await second.run('train', '--resume', 'resumed', '--epochs', '3')).toBe(0);
    expect(second.out.stderr).toMatch(/on cpu\n/); // the backend the run started on
    const lines = readFileSync(join(cwd, 'resumed', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.epoch)).toEqual([1, 2, 3]);
    // --resume trained on the recorded --data with the recorded --seed, and records the new --epochs.
    expect(JSON.parse(readFileSync(join(cwd, 'resumed', 'run.json'), 'utf8'))).toMatchObject({ seed: 3, data: 'x.npy', overrides: { seed: 3, epochs: 3, data: 'x.npy' }, resumed: true });
    expect(second.out.stderr).toMatch(/trained mlp: 15 steps/);
    const other = cli(cwd);
    expect(await other.run('train', '--resume', 'resumed', '--batch', '4', '--backend', 'cpu')).toBe(1);
    expect(other.out.stderr).toContain('ae train: cannot resume with --batch 4: the run was started without --batch (resume without it, or start a new run)');
  });

  it('reports data problems as exit 1 with the message', async () => {
    const bad = cli(cwd);
    expect(await bad.run('train', 'model.ir.json', '--data', 'missing.npy', '--backend', 'cpu', '--out', 'bad')).toBe(1);
    expect(bad.out.stderr).toMatch(/^ae train: .*missing\.npy/m);
  });

  it('a non-finite loss exits 1 naming the step and term', async () => {
    const ir = JSON.parse(readFileSync(join(cwd, 'model.ir.json'), 'utf8'));
    ir.phases[0].optimizer.lr = 1e30;
    writeFileSync(join(cwd, 'explode.ir.json'), JSON.stringify(ir));
    const run = cli(cwd);
    expect(await run.run('train', 'explode.ir.json', '--data', 'x.npy', '--backend', 'cpu', '--out', 'explode')).toBe(1);
    expect(run.out.stderr).toMatch(/ae train: the loss became (NaN|Infinity) at step \d+ .* term mse\(x_hat, x\) is not finite/);
    expect(existsSync(join(cwd, 'explode', 'checkpoint', 'weights.safetensors'))).toBe(true);
  });

  it('compiles an .ae file, and prints its diagnostics with exit 1 when it has errors', async () => {
    writeFileSync(join(cwd, 'tiny.ae'), 'model tiny {\n  input x: [16] in [0, 1]\n  encoder { dense(8, act = relu) }\n  latent z = dense(2)\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = mse(x_hat, x)\n  train { epochs = 1, batch = 8 }\n}\n');
    const ok = cli(cwd);
    expect(await ok.run('train', 'tiny.ae', '--data', 'x.npy', '--backend', 'cpu', '--out', 'tiny')).toBe(0);
    expect(existsSync(join(cwd, 'tiny', 'checkpoint', 'weights.safetensors'))).toBe(true);
    writeFileSync(join(cwd, 'broken.ae'), 'model broken {\n  input x: [16] in [0, 1]\n  encoder { dense(8, act = relu) }\n  latent z = dense(2)\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = mse(x_hat, nope)\n}\n');
    const broken = cli(cwd);
    expect(await broken.run('train', 'broken.ae', '--data', 'x.npy', '--backend', 'cpu', '--out', 'broken')).toBe(1);
    expect(broken.out.stderr).toMatch(/broken\.ae:7:\d+: error AE2\d{3}/);
  });

  it('misuse exits 2', async () => {
    expect(await cli(cwd).run('train')).toBe(2);
    expect(await cli(cwd).run('encode', 'run', '--data', 'x.npy', '-o', 'codes.txt')).toBe(2);
  });
});

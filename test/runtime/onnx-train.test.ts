// Whole runs on the onnx engine through train() and `ae train`: the same epochs' losses as the cpu
// reference, resume from its own checkpoints exactly and from the cpu engine's, the loss guard, and
// the backend line that says which engine trained and why another was passed over.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import type { IRModel, IRTerm } from '../../ir/types.js';
import { loadOnnxRuntime, onnxEngine } from '../../runtime/engines/onnx/index.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { decodeSafetensors } from '../../runtime/runs/index.js';
import type { StageEngineFactory } from '../../runtime/train/engine.js';
import { NonFiniteLossError } from '../../runtime/train/errors.js';
import { train } from '../../runtime/train/train.js';
import { uniformDataset } from './data-helpers.js';
import { adam, mlpAutoencoder, mseTerm, phase } from './ir-builders.js';
import { useCpu } from './setup.js';
import { buildStageGraph } from '../../compiler/step/step-graph.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'ae-onnx-'));
const data = uniformDataset(48, 8);
let engine: StageEngineFactory;

beforeAll(async () => {
  await useCpu();
  const loaded = await loadOnnxRuntime();
  if (!loaded.ok) throw new Error(`onnxruntime-node must load for these tests: ${loaded.why}`);
  engine = onnxEngine(loaded.runtime, 1, buildStageGraph);
});

function model(overrides: { epochs?: number; lr?: number } = {}): IRModel {
  const objective = [mseTerm()];
  return mlpAutoencoder({
    inputWidth: 8,
    hidden: [6],
    code: 3,
    output: 'sigmoid',
    tied: true,
    objective,
    phases: [phase(objective, { epochs: overrides.epochs ?? 3, batch: 16, seed: 4, optimizer: adam(overrides.lr ?? 0.01) })],
  });
}

function weights(dir: string): Record<string, number[]> {
  const { tensors } = decodeSafetensors(readFileSync(join(dir, 'checkpoint', 'weights.safetensors')));
  return Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, Array.from(t.data)]));
}

function expectClose(actual: Record<string, number[]>, expected: Record<string, number[]>, tolerance: number): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, values] of Object.entries(expected)) {
    const worst = Math.max(...values.map((v, i) => Math.abs(v - actual[name]![i]!)));
    expect(worst, name).toBeLessThan(tolerance);
  }
}

describe('train() on the onnx engine', () => {
  it('trains the epochs the cpu reference trains, to the same losses and weights', async () => {
    const [onnx, cpu] = [tempDir(), tempDir()];
    const a = await train({ ir: model(), runDir: onnx, cwd: onnx, dataset: data, validation: data, engine, backend: 'onnx' });
    const b = await train({ ir: model(), runDir: cpu, cwd: cpu, dataset: data, validation: data });
    a.program.dispose();
    b.program.dispose();
    expect(a.metrics.map((m) => [m.epoch, m.step])).toEqual(b.metrics.map((m) => [m.epoch, m.step]));
    a.metrics.forEach((m, i) => {
      expect(m.loss).toBeCloseTo(b.metrics[i]!.loss, 6);
      expect(m.val_loss).toBeCloseTo(b.metrics[i]!.val_loss!, 6);
    });
    expectClose(weights(onnx), weights(cpu), 1e-5);
    expect(JSON.parse(readFileSync(join(onnx, 'run.json'), 'utf8'))).toMatchObject({ backend: 'onnx', steps: 9 });
  });

  it('resumes from its own checkpoint: 2 + 2 epochs equal 4 epochs exactly', async () => {
    const [straight, split] = [tempDir(), tempDir()];
    (await train({ ir: model({ epochs: 4 }), runDir: straight, cwd: straight, dataset: data, engine })).program.dispose();
    (await train({ ir: model({ epochs: 4 }), runDir: split, cwd: split, dataset: data, engine, epochs: 2 })).program.dispose();
    const second = await train({ ir: model({ epochs: 4 }), runDir: split, cwd: split, dataset: data, engine, resume: true, epochs: 4 });
    second.program.dispose();
    expect(second.metrics.map((m) => m.epoch)).toEqual([1, 2, 3, 4]);
    expect(weights(split)).toEqual(weights(straight));
  });

  it("resumes a cpu run's checkpoint (weights and Adam's slots) and ends where the cpu run ends", async () => {
    const [cpu, mixed] = [tempDir(), tempDir()];
    (await train({ ir: model({ epochs: 4 }), runDir: cpu, cwd: cpu, dataset: data })).program.dispose();
    (await train({ ir: model({ epochs: 4 }), runDir: mixed, cwd: mixed, dataset: data, epochs: 2 })).program.dispose();
    (await train({ ir: model({ epochs: 4 }), runDir: mixed, cwd: mixed, dataset: data, engine, resume: true, epochs: 4 })).program.dispose();
    expectClose(weights(mixed), weights(cpu), 1e-5);
  });

  it('feeds scheduled coefficients per epoch: a ramped l1 trains as on cpu, epoch by epoch', async () => {
    const objective: IRTerm[] = [mseTerm(), { fn: 'l1', weight: 1, schedule: { kind: 'ramp', from: 0, to: 1, epochs: 2 }, args: ['z'], options: { reduce: 'mean' } }];
    const ir = mlpAutoencoder({ inputWidth: 8, hidden: [6], code: 3, output: 'sigmoid', objective, phases: [phase(objective, { batch: 8, seed: 4, epochs: 3 })] });
    const [onnx, cpu] = [tempDir(), tempDir()];
    const a = await train({ ir, runDir: onnx, cwd: onnx, dataset: data, engine });
    const b = await train({ ir, runDir: cpu, cwd: cpu, dataset: data });
    a.program.dispose();
    b.program.dispose();
    expect(a.metrics.map((m) => m.coefficients)).toEqual([{ 'l1(z)': 0 }, { 'l1(z)': 0.5 }, { 'l1(z)': 1 }]);
    a.metrics.forEach((m, i) => expect(m.loss).toBeCloseTo(b.metrics[i]!.loss, 6));
    expectClose(weights(onnx), weights(cpu), 1e-5);
  });

  it('stops on a non-finite loss, names the term, and keeps the last good weights', async () => {
    const dir = tempDir();
    const error = await train({ ir: model({ lr: 1e30, epochs: 5 }), runDir: dir, cwd: dir, dataset: data, engine }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as NonFiniteLossError).term).toBe('mse(x_hat, x)');
    for (const values of Object.values(weights(dir))) expect(values.every(Number.isFinite)).toBe(true);
  });
});

describe('ae train --backend', () => {
  function cli(cwd: string) {
    const out = { stdout: '', stderr: '' };
    const io = { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), isTTY: false, cwd };
    return { out, run: (...argv: string[]) => main(argv, io) };
  }

  it('auto trains on onnx where it loads, saying so; onnx when asked; a vq model too', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'x.npy'), encodeNpy(uniformDataset(32, 16).x, [32, 16]));
    writeFileSync(
      join(cwd, 'dense.ae'),
      'model dense { input x: [16] in [0, 1]\n encoder { dense(8, act = relu) }\n latent z = dense(2)\n decoder = mirror(encoder)\n output x_hat = sigmoid\n loss = bce(x_hat, x)\n train { epochs = 1, batch = 8 } }\n',
    );
    writeFileSync(
      join(cwd, 'vq.ae'),
      'model vq { input x: [16] in [0, 1]\n encoder { dense(8, act = relu) }\n latent z = vq(codes = 4, dim = 8)\n decoder { dense(16) }\n output x_hat = sigmoid\n loss = bce(x_hat, x) + vq_loss(z)\n train { epochs = 1, batch = 8 } }\n',
    );
    const auto = cli(cwd);
    expect(await auto.run('train', 'dense.ae', '--data', 'x.npy', '--out', 'auto', '--threads', '1')).toBe(0);
    expect(auto.out.stderr).toMatch(/^backend: onnx \(onnxruntime-node \d+\.\d+\.\d+, 1 thread\) — tensorflow: /m);
    expect(JSON.parse(readFileSync(join(cwd, 'auto', 'run.json'), 'utf8'))).toMatchObject({ backend: 'onnx' });

    // the tasks take the onnx engine too, with the numbers the wasm backend gives
    const onnxEval = cli(cwd);
    expect(await onnxEval.run('eval', 'auto', '--data', 'x.npy', '--format', 'json')).toBe(0);
    expect(onnxEval.out.stderr).toMatch(/^backend: onnx \(onnxruntime-node \d+\.\d+\.\d+, 1 thread; weights held by tfjs wasm\) — tensorflow: /m);
    const wasmEval = cli(cwd);
    expect(await wasmEval.run('eval', 'auto', '--data', 'x.npy', '--format', 'json', '--backend', 'wasm')).toBe(0);
    const [onnxFigures, wasmFigures] = [onnxEval, wasmEval].map((c) => JSON.parse(c.out.stdout) as { loss: number; mse: number });
    expect(onnxFigures!.loss).toBeCloseTo(wasmFigures!.loss, 5);
    expect(onnxFigures!.mse).toBeCloseTo(wasmFigures!.mse, 6);

    const asked = cli(cwd);
    expect(await asked.run('train', 'dense.ae', '--data', 'x.npy', '--out', 'asked', '--backend', 'onnx', '--threads', '1')).toBe(0);
    expect(asked.out.stderr).toMatch(/^backend: onnx \(.*\) — requested with --backend$/m);

    // vq latents train on the engine too (their codebook upkeep included): no model of the
    // language is passed over to tfjs any more
    const vq = cli(cwd);
    expect(await vq.run('train', 'vq.ae', '--data', 'x.npy', '--out', 'vq', '--threads', '1')).toBe(0);
    expect(vq.out.stderr).toMatch(/^backend: onnx \(onnxruntime-node \d+\.\d+\.\d+, 1 thread\) — tensorflow: /m);
    const codes = cli(cwd);
    expect(await codes.run('encode', 'vq', '--data', 'x.npy', '--codes', '--out', 'codes.npy')).toBe(0);
    expect(codes.out.stderr).toMatch(/^backend: onnx /m);
    expect(codes.out.stderr).toMatch(/wrote 32 code indices of shape \[\] to codes\.npy/);
  });
});

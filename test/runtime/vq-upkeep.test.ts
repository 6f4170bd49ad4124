// The vq codebook's upkeep in whole runs (runtime/program/ops/vq-codebook.ts): seeded from the
// first batch, its dead codes restarted after RESTART_WINDOW steps, on the tfjs engine and the onnx
// engine alike, and its usage counts carried by checkpoints, so a resumed run restarts the codes an
// uninterrupted one would. The data has two distinct samples only: the k-means++ seeds are two
// codes and four copies, the copies never win a tie (the first equal code does, on both engines),
// so four codes are dead when the window ends at step 50 of 60.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import type { IRModel } from '../../ir/types.js';
import type { InMemoryDataset } from '../../runtime/data/index.js';
import { loadOnnxRuntime, onnxEngine } from '../../runtime/engines/onnx/index.js';
import { RESTART_EVERY as RESTART_WINDOW } from '../../ir/codebook-upkeep.js';
import { CheckpointError, decodeSafetensors } from '../../runtime/runs/index.js';
import type { StageEngineFactory } from '../../runtime/train/engine.js';
import { train } from '../../runtime/train/train.js';
import { useCpu } from './setup.js';
import { buildStageGraph } from '../../compiler/step/step-graph.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'ae-vq-upkeep-'));
let onnx: StageEngineFactory;

beforeAll(async () => {
  await useCpu();
  const loaded = await loadOnnxRuntime();
  if (!loaded.ok) throw new Error(`onnxruntime-node must load for these tests: ${loaded.why}`);
  onnx = onnxEngine(loaded.runtime, 1, buildStageGraph);
});

const EPOCHS = 10; // 6 steps each: the window ends at step 50 of 60

function model(): IRModel {
  const source = `model v {
  input x: [6]
  encoder { dense(8, act = tanh), dense(3) }
  latent z = vq(codes = 6, dim = 3)
  decoder = mirror(encoder)
  output x_hat = linear
  loss = mse(x_hat, x) + vq_loss(z)
  train { epochs = ${EPOCHS}, batch = 4, seed = 3, optimizer = adam(lr = 0.01) }
}`;
  const analysis = analyzeSource(source, 'v.ae');
  expect(analysis.irs, JSON.stringify(analysis.diagnostics)).toHaveLength(1);
  return analysis.irs[0]!;
}

/** 24 samples, each one of two patterns. */
const data: InMemoryDataset = {
  name: 'two patterns',
  count: 24,
  sampleShape: [6],
  x: Float32Array.from({ length: 24 * 6 }, (_, i) => (Math.floor(i / 6) % 2 === 0 ? [0.9, 0.1, 0.8, 0.2, 0.7, 0.3] : [0.1, 0.9, 0.2, 0.6, 0.3, 0.8])[i % 6]!),
};

function weights(dir: string): Record<string, number[]> {
  const { tensors } = decodeSafetensors(readFileSync(join(dir, 'checkpoint', 'weights.safetensors')));
  return Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, Array.from(t.data)]));
}

function state(dir: string): { step: number; codebooks?: Record<string, { initialised: boolean; steps: number; hits: number[] }> } {
  return JSON.parse(readFileSync(join(dir, 'checkpoint', 'state.json'), 'utf8'));
}

async function run(dir: string, engine: StageEngineFactory | undefined, options: { epochs?: number; resume?: boolean } = {}) {
  const result = await train({ ir: model(), runDir: dir, cwd: dir, dataset: data, ...(engine ? { engine } : {}), ...options });
  result.program.dispose();
  return result;
}

describe('vq codebook upkeep in whole runs', () => {
  it('seeds and restarts the same codes on the onnx engine as on tfjs: the same losses and weights', async () => {
    const [a, b] = [tempDir(), tempDir()];
    const onOnnx = await run(a, onnx);
    const onCpu = await run(b, undefined);
    onOnnx.metrics.forEach((m, i) => expect(m.loss).toBeCloseTo(onCpu.metrics[i]!.loss, 5));
    const expected = weights(b);
    for (const [name, values] of Object.entries(weights(a))) {
      const worst = Math.max(...values.map((v, i) => Math.abs(v - expected[name]![i]!)));
      expect(worst, name).toBeLessThan(1e-4);
    }
    // the window ended once (at step 50) and has counted 10 steps since, on both
    for (const dir of [a, b]) {
      const [codebook] = Object.values(state(dir).codebooks!);
      expect(state(dir).step).toBe(60);
      expect(codebook).toMatchObject({ initialised: true, steps: 60 - RESTART_WINDOW });
      expect(codebook!.hits.reduce((s, h) => s + h, 0)).toBe((60 - RESTART_WINDOW) * 4);
    }
    expect(state(a).codebooks).toEqual(state(b).codebooks);
  });

  for (const [name, engine] of [['tfjs', undefined], ['onnx', 'onnx']] as const) {
    it(`keeps the plan's upkeep as written on ${name}: a window edited to 8 steps ends seven times in 60`, async () => {
      const edited = model();
      edited.plan![0]!.codebooks = [{ node: 'latent.z', seedVectors: 2, restartEvery: 8 }];
      const dir = tempDir();
      const result = await train({ ir: edited, runDir: dir, cwd: dir, dataset: data, ...(engine ? { engine: onnx } : {}) });
      result.program.dispose();
      // 60 steps: windows end at 8, 16, …, 56, and 4 steps have been counted since
      expect(Object.values(state(dir).codebooks!)[0]).toMatchObject({ initialised: true, steps: 60 % 8 });
    });

    it(`resumes with the usage counts on ${name}: 5 + 5 epochs equal 10 exactly (restart after the resume)`, async () => {
      const e = engine ? onnx : undefined;
      const [straight, split] = [tempDir(), tempDir()];
      await run(straight, e);
      await run(split, e, { epochs: 5 });
      expect(Object.values(state(split).codebooks!)[0]).toMatchObject({ steps: 30 });
      await run(split, e, { epochs: EPOCHS, resume: true });
      expect(weights(split)).toEqual(weights(straight));
    });
  }

  it('refuses a checkpoint whose codebook state is malformed, naming the file', async () => {
    const dir = tempDir();
    await run(dir, undefined, { epochs: 1 });
    const path = join(dir, 'checkpoint', 'state.json');
    const json = JSON.parse(readFileSync(path, 'utf8'));
    const id = Object.keys(json.codebooks)[0]!;
    json.codebooks[id].hits = [1, 2];
    writeFileSync(path, JSON.stringify(json));
    const error = await run(dir, undefined, { epochs: 2, resume: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toBe(`${path}: \`codebooks.${id}\` is not a codebook state of 6 codes; the checkpoint cannot be resumed`);
  });
});

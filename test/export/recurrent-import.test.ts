// LSTM and GRU weights through PyTorch and back: model.py holds them in PyTorch's gate order
// (nn.LSTM i, f, g, o; nn.GRU r, z, n, two biases), save_aelang writes them in aelang's (Keras's i,
// f, c, o and z, r, h; one LSTM bias, the GRU's [2, 3u]), and `ae import` makes a run of them. For
// every spec model with a recurrent layer: the imported weights equal the exported ones and give
// the runtime's outputs; PyTorch loading its own aelang-format file gives them too (within 1e-5).
// A module with PyTorch's own initialisation (the LSTM's recurrent bias not zero: aelang adds it to
// the input bias) comes back giving PyTorch's outputs. Then train.py trains a GRU + LSTM model from
// scratch and the imported run encodes as PyTorch does.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPytorch } from '../../export/pytorch/index.js';
import type { IRModel } from '../../ir/types.js';
import { selectBackend } from '../../runtime/backends/index.js';
import { parseNpy } from '../../runtime/data/npy.js';
import { importRun } from '../../runtime/import/import-run.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { loadRun } from '../../runtime/tasks/load-run.js';
import { loadCheckpoint } from '../../runtime/train/checkpoint.js';
import { maxDifference, random, randomizedProgram, runtimeOutputs, sampleInput, specModels, type Feed } from './models.js';
import { PYTHON, requireTorch } from './python.js';

const work = mkdtempSync(join(tmpdir(), 'ae-recurrent-'));
const recurrent = specModels().filter(({ ir }) => ir.nodes.some((n) => n.op === 'lstm' || n.op === 'gru'));
const npy = (path: string) => parseNpy(readFileSync(path), path);

interface Case {
  ir: IRModel;
  dir: string;
  input: Feed;
  weights: Map<string, { shape: number[]; values: Float32Array }>;
  expected: ReturnType<typeof runtimeOutputs>;
}
const cases: Case[] = [];

beforeAll(async () => {
  requireTorch();
  await selectBackend('cpu');
  for (const [index, { ir }] of recurrent.entries()) {
    const { program, weights } = randomizedProgram(ir);
    try {
      const dir = join(work, String(index));
      mkdirSync(dir);
      const { files } = exportPytorch(ir, weights);
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
      const input = sampleInput(ir, 3);
      writeFileSync(join(dir, 'input.npy'), encodeNpy(input.values, input.shape));
      cases.push({ ir, dir, input, weights: weights as Case['weights'], expected: runtimeOutputs(program, input) });
    } finally {
      program.dispose();
    }
  }
  execFileSync(PYTHON, [join(import.meta.dirname, 'save-aelang.py'), ...cases.map((c) => c.dir)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('LSTM and GRU weights back from PyTorch', () => {
  it('covers an LSTM, a GRU and a model with both', () => {
    expect(recurrent.map(({ ir }) => ir.model)).toEqual(['sensors', 'gru_mirror', 'upsampled']);
  });

  it.each(recurrent.map(({ ir }, i) => [ir.model, i] as const))('%s: ae import gives the exported weights and the runtime’s outputs', async (_name, i) => {
    const c = cases[i]!;
    const run = join(c.dir, 'imported');
    mkdirSync(run);
    await importRun(c.ir, join(c.dir, 'back.safetensors'), run);
    const imported = (await loadCheckpoint(run))!.weights;
    for (const p of c.ir.parameters.filter((p) => p.tiedTo === undefined)) {
      expect(imported[p.id]!.shape, p.id).toEqual(p.shape);
      expect(maxDifference(imported[p.id]!.data, c.weights.get(p.id)!.values), p.id).toBe(0);
    }
    const { program } = await loadRun(run);
    try {
      const outputs = runtimeOutputs(program, c.input);
      expect(maxDifference(outputs.reconstruction, c.expected.reconstruction)).toBe(0);
      expect(maxDifference(outputs.code, c.expected.code)).toBe(0);
    } finally {
      program.dispose();
    }
    expect(maxDifference(npy(join(c.dir, 'back-reconstruction.npy')).data, c.expected.reconstruction)).toBeLessThan(1e-5);
    expect(maxDifference(npy(join(c.dir, 'back-code.npy')).data, c.expected.code)).toBeLessThan(1e-5);
  });

  it.each(recurrent.map(({ ir }, i) => [ir.model, i] as const))('%s: PyTorch’s own initialisation comes back giving PyTorch’s outputs', async (_name, i) => {
    const c = cases[i]!;
    const run = join(c.dir, 'fresh');
    mkdirSync(run);
    await importRun(c.ir, join(c.dir, 'fresh.safetensors'), run);
    const { program } = await loadRun(run);
    try {
      const outputs = runtimeOutputs(program, c.input);
      expect(maxDifference(outputs.reconstruction, npy(join(c.dir, 'fresh-reconstruction.npy')).data)).toBeLessThan(1e-5);
      expect(maxDifference(outputs.code, npy(join(c.dir, 'fresh-code.npy')).data)).toBeLessThan(1e-5);
      expect(maxDifference(outputs.code, c.expected.code)).toBeGreaterThan(1e-3); // other weights than the exported ones
    } finally {
      program.dispose();
    }
  });

  it('train.py from scratch: the imported run encodes as PyTorch does', async () => {
    const c = cases.find((k) => k.ir.model === 'upsampled')!;
    const next = random(17);
    writeFileSync(join(c.dir, 'train.npy'), encodeNpy(Float32Array.from({ length: 24 * 8 * 2 }, () => next() * 2 - 1), [24, 8, 2]));
    const stdout = execFileSync(PYTHON, ['train.py', '--data', 'train.npy', '--from-scratch', '--epochs', '1'], { cwd: c.dir, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 120_000 });
    expect(stdout).toContain('{"wrote": "trained.safetensors"}');
    const run = join(c.dir, 'trained-run');
    mkdirSync(run);
    await importRun(c.ir, join(c.dir, 'trained.safetensors'), run);
    // PyTorch's initialisation, trained: not the weights the model was exported with.
    const lstm = c.ir.nodes.find((n) => n.op === 'lstm')!.params!.bias!;
    expect(maxDifference((await loadCheckpoint(run))!.weights[lstm]!.data, c.weights.get(lstm)!.values)).toBeGreaterThan(1e-2);
    execFileSync(PYTHON, [join(import.meta.dirname, 'encode-pytorch.py'), c.dir, join(c.dir, 'trained.safetensors'), join(c.dir, 'train.npy'), join(c.dir, 'torch-codes.npy')], { encoding: 'utf8' });
    const { program } = await loadRun(run);
    try {
      const data = npy(join(c.dir, 'train.npy'));
      const ours = runtimeOutputs(program, { name: 's', shape: data.shape, values: Float32Array.from(data.data) });
      const theirs = npy(join(c.dir, 'torch-codes.npy'));
      expect(theirs.shape).toEqual(ours.codeShape);
      expect(maxDifference(theirs.data, ours.code)).toBeLessThan(1e-5);
    } finally {
      program.dispose();
    }
  }, 120_000);
});

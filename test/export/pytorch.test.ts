// PyTorch export against the runtime, run by Debian's /usr/bin/python3 with python3-torch (`.ci/run`
// installs it): model.py's load() gives the runtime's reconstruction and code within 1e-5 for every
// model in specs/valid/ with random weights, with tied layers sharing one parameter; train.py is
// checked in pytorch-train.test.ts. A conditional model's methods take the label where their part
// reads it; a table model takes its encoded row.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPytorch } from '../../export/pytorch/index.js';
import { ExportError } from '../../export/weights.js';
import { selectBackend } from '../../runtime/backends/index.js';
import { parseNpy } from '../../runtime/data/npy.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { PYTHON, requireTorch } from './python.js';
import { exampleModels, maxDifference, randomizedProgram, runtimeOutputs, sampleInput, sampleLabels, specModels } from './models.js';

const work = mkdtempSync(join(tmpdir(), 'ae-pytorch-'));
const models = [...specModels(), ...exampleModels()];

interface Case {
  name: string;
  dir: string;
  expected: ReturnType<typeof runtimeOutputs>;
  stored: number;
  storedValues: number;
}
const cases: Case[] = [];
const withoutTrainPy: string[] = [];
let results = new Map<string, { parameters: number; values: number }>();

beforeAll(async () => {
  requireTorch();
  await selectBackend('cpu');
  for (const [index, { file, ir }] of models.entries()) {
    const name = `${file} ${ir.model}`;
    const { program, weights } = randomizedProgram(ir);
    try {
      const dir = join(work, String(index));
      mkdirSync(dir);
      const { files, noTrainPy } = exportPytorch(ir, weights);
      if (noTrainPy !== undefined) withoutTrainPy.push(`${ir.model}: ${noTrainPy}`);
      expect(files['train.py'] === undefined).toBe(noTrainPy !== undefined);
      writeFileSync(join(dir, 'model.py'), files['model.py']);
      writeFileSync(join(dir, 'weights.safetensors'), files['weights.safetensors']);
      const input = sampleInput(ir, 3);
      const labels = sampleLabels(ir, 3);
      writeFileSync(join(dir, 'input.npy'), encodeNpy(input.values, input.shape));
      for (const label of labels) writeFileSync(join(dir, `label-${label.name}.npy`), encodeNpy(label.values, label.shape));
      const stored = ir.parameters.filter((p) => p.tiedTo === undefined);
      // nn.LSTM and nn.GRU hold two bias tensors where aelang (Keras) holds one: the GRU's [2, 3u]
      // split in two, and for the LSTM a recurrent bias of 4u zeros besides (frozen).
      const recurrent = ir.nodes.filter((n) => n.op === 'lstm' || n.op === 'gru');
      const extraValues = recurrent.reduce((sum, n) => sum + (n.op === 'lstm' ? 4 * n.attrs.units : 0), 0);
      cases.push({
        name,
        dir,
        expected: runtimeOutputs(program, input, labels),
        stored: stored.filter((p) => p.trainable).length + recurrent.length,
        storedValues: stored.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0) + extraValues,
      });
    } finally {
      program.dispose();
    }
  }
  const output = execFileSync(PYTHON, [join(import.meta.dirname, 'run-pytorch.py'), ...cases.map((c) => c.dir)], { encoding: 'utf8', maxBuffer: 16 << 20 });
  results = new Map(output.trim().split('\n').map((line) => JSON.parse(line)).map((r) => [r.directory, r]));
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const npy = (path: string) => parseNpy(readFileSync(path), path);

describe('ae export --format pytorch: model.py', () => {
  it('exports every spec model; train.py only where PyTorch training reproduces the objective and phases', () => {
    expect(cases.length).toBe(81);
    // contractive needs the runtime's closed-form Jacobian, greedy phases the runtime's per-layer
    // schedule: ae export says so and writes model.py alone. Coefficient schedules, tables,
    // conditional models and cross_entropy heads get train.py (pytorch-train-kinds.test.ts).
    expect(withoutTrainPy.sort()).toEqual([
      'contract: the objective term contractive(latent.z, x) does not export to PyTorch',
      'contractive_ae: the objective term contractive(latent.z, x) does not export to PyTorch',
      "greedy_then_tune: phase 'pretrain' is greedy layer-wise pretraining, which does not export to PyTorch",
      "sdae: phase 'pretrain' is greedy layer-wise pretraining, which does not export to PyTorch",
    ]);
  });

  it('gives the runtime’s reconstruction and code within 1e-5, every stored weight one parameter', () => {
    const failures: string[] = [];
    for (const c of cases) {
      const reconstruction = npy(join(c.dir, 'reconstruction.npy'));
      const code = npy(join(c.dir, 'code.npy'));
      const r = maxDifference(reconstruction.data, c.expected.reconstruction);
      const z = maxDifference(code.data, c.expected.code);
      if (!(r < 1e-5 && z < 1e-5)) failures.push(`${c.name}: reconstruction ${r}, code ${z}`);
      expect(code.shape, c.name).toEqual(c.expected.codeShape);
      const counted = results.get(c.dir)!;
      expect(counted.values, c.name).toBe(c.storedValues); // tied weights are not duplicated
      expect(counted.parameters, c.name).toBe(c.stored);
    }
    expect(failures).toEqual([]);
  });
});

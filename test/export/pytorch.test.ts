// PyTorch export against the runtime, run by Debian's /usr/bin/python3 with python3-torch (`.ci/run`
// installs it): model.py's load() gives the runtime's reconstruction and code within 1e-5 for every
// model in specs/valid/ with random weights, with tied layers sharing one parameter; train.py is
// checked in pytorch-train.test.ts.
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
import { maxDifference, randomizedProgram, runtimeOutputs, sampleInput, specModels } from './models.js';

const work = mkdtempSync(join(tmpdir(), 'ae-pytorch-'));
const models = specModels();
const blockers = (ir: (typeof models)[number]['ir']) =>
  ir.nodes.find((n) => (n.op === 'unpool' && n.attrs.mode === 'switches') || (n.op === 'gumbel_onehot' && n.shape.length === 4));

interface Case {
  name: string;
  dir: string;
  expected: ReturnType<typeof runtimeOutputs>;
  stored: number;
  storedValues: number;
}
const cases: Case[] = [];
const refused: { name: string; message: string; op: string }[] = [];
let results = new Map<string, { parameters: number; values: number }>();

beforeAll(async () => {
  requireTorch();
  await selectBackend('cpu');
  for (const [index, { file, ir }] of models.entries()) {
    const name = `${file} ${ir.model}`;
    const { program, weights } = randomizedProgram(ir);
    try {
      const blocker = blockers(ir);
      if (blocker) {
        try {
          exportPytorch(ir, weights, { dataFiles: () => undefined });
          refused.push({ name, message: '(exported)', op: blocker.op });
        } catch (error) {
          if (!(error instanceof ExportError)) throw error;
          refused.push({ name, message: error.message, op: blocker.op });
        }
        continue;
      }
      const dir = join(work, String(index));
      mkdirSync(dir);
      const { files } = exportPytorch(ir, weights, { dataFiles: () => undefined });
      writeFileSync(join(dir, 'model.py'), files['model.py']);
      writeFileSync(join(dir, 'weights.safetensors'), files['weights.safetensors']);
      const input = sampleInput(ir, 3);
      writeFileSync(join(dir, 'input.npy'), encodeNpy(input.values, input.shape));
      const stored = ir.parameters.filter((p) => p.tiedTo === undefined);
      cases.push({ name, dir, expected: runtimeOutputs(program, input), stored: stored.filter((p) => p.trainable).length, storedValues: stored.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0) });
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
  it('exports most spec models and refuses the rest naming the node and op', () => {
    expect(cases.length).toBeGreaterThanOrEqual(55);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r.message, r.name).toMatch(new RegExp(`node '[^']+' \\(${r.op === 'unpool' ? 'unpool by switches' : 'gumbel_onehot'}\\) .*does not export to PyTorch`));
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

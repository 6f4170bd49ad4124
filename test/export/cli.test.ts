// `ae export` end to end: train a small convolutional model, export the run to ONNX and PyTorch, and
// run the exports outside aelang (onnxruntime-node, Debian's PyTorch) on what `ae encode` reads;
// plus the command's misuse errors.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { encode, loadRun, reconstruct } from '../../runtime/tasks/index.js';
import { loadDataset, sampleRange } from '../../runtime/data/index.js';
import { decodeModel } from '../../onnx/proto.js';
import { parseNpy } from '../../runtime/data/npy.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { maxDifference } from './models.js';
import { PYTHON, requireTorch } from './python.js';

// Conv layers (NHWC in aelang, NCHW in ONNX), a tied dense pair and tied conv/deconv pairs.
const MODEL = `model small_cae {
  input x: [8, 8, 1] in [0, 1]
  encoder {
    conv2d(4, kernel = 3, act = relu)
    conv2d(6, kernel = 3, stride = 2, act = elu)
    flatten
    dense(12, act = tanh)
  }
  latent z = dense(3)
  decoder = mirror(encoder, tied = true)
  output x_hat = sigmoid
  loss = bce(x_hat, x)
  train { data = synthetic(samples = 24, seed = 2), epochs = 1, batch = 8 }
}
`;

let cwd = '';
async function ae(...argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const code = await main(argv, { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), isTTY: false, cwd });
  return { code, ...out };
}

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'ae-export-'));
  writeFileSync(join(cwd, 'small.ae'), MODEL);
  const trained = await ae('train', 'small.ae', '--backend', 'cpu', '-o', 'run', '--quiet');
  expect(trained.stderr).toContain('trained small_cae');
  expect(trained.code).toBe(0);
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('ae export', () => {
  it('writes a model whose outputs equal the run’s codes and reconstructions within 1e-5', async () => {
    const result = await ae('export', 'run', '--format', 'onnx', '-o', 'small.onnx');
    expect(result).toEqual({ code: 0, stdout: '', stderr: 'wrote small.onnx\n' });
    const run = await loadRun(join(cwd, 'run'));
    try {
      const data = await loadDataset('synthetic:samples=5,seed=9', run.ir.inputs[0]!, { cwd });
      const codes = encode(run.program, data);
      const reconstructions = reconstruct(run.program, data);
      const session = await ort.InferenceSession.create(readFileSync(join(cwd, 'small.onnx')));
      expect(session.inputNames).toEqual(['x']);
      expect(session.outputNames).toEqual(['reconstruction', 'code']);
      const outputs = await session.run({ x: new ort.Tensor('float32', sampleRange(data, 0, 5), [5, 8, 8, 1]) });
      expect(outputs.code!.dims).toEqual([5, 3]);
      expect(outputs.reconstruction!.dims).toEqual([5, 8, 8, 1]);
      expect(maxDifference(outputs.code!.data as Float32Array, codes.values)).toBeLessThan(1e-5);
      expect(maxDifference(outputs.reconstruction!.data as Float32Array, reconstructions.values)).toBeLessThan(1e-5);
      await session.release();
    } finally {
      run.program.dispose();
    }
  });

  it('shares tied weights: one initializer per stored tensor, the tied layer reading it through Transpose', async () => {
    expect((await ae('export', 'run', '--format', 'onnx', '--part', 'decoder', '-o', 'decoder.onnx')).code).toBe(0);
    const bytes = readFileSync(join(cwd, 'decoder.onnx'));
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['code']);
    expect(session.outputNames).toEqual(['reconstruction']);
    await session.release();
    // The decoder's dense and deconv layers are tied to the encoder's: each kernel is one
    // initializer, under the encoder's parameter id, read by exactly one Transpose (dense: to
    // [out, in]; conv: to ONNX's [in, out, kh, kw]), and the decoder's own kernel ids appear nowhere.
    const { graph } = decodeModel(bytes);
    const ir = JSON.parse(readFileSync(join(cwd, 'run', 'model.ir.json'), 'utf8')) as { parameters: { id: string; tiedTo?: string }[] };
    const tied = ir.parameters.filter((p) => p.tiedTo !== undefined);
    expect(tied.map((p) => p.tiedTo).sort()).toEqual(['encoder.0.conv2d.kernel', 'encoder.1.conv2d.kernel', 'encoder.3.dense.kernel', 'latent.z.kernel']);
    const initializers = graph.initializer.map((t) => t.name);
    for (const p of tied) {
      expect(initializers.filter((name) => name === p.tiedTo)).toHaveLength(1);
      expect(graph.node.filter((n) => n.input.includes(p.tiedTo!)).map((n) => n.op_type)).toEqual(['Transpose']);
      expect(initializers).not.toContain(p.id);
      expect(graph.node.some((n) => n.input.includes(p.id))).toBe(false);
    }
  });

  it('--format pytorch writes model.py, train.py and the weights, giving the run’s outputs within 1e-5', async () => {
    requireTorch();
    expect(await ae('export', 'run', '--format', 'pytorch', '-o', 'torch')).toEqual({ code: 0, stdout: '', stderr: 'wrote torch\n' });
    expect(readdirSync(join(cwd, 'torch')).sort()).toEqual(['model.ir.json', 'model.py', 'train.py', 'weights.safetensors']);
    const run = await loadRun(join(cwd, 'run'));
    try {
      const data = await loadDataset('synthetic:samples=4,seed=5', run.ir.inputs[0]!, { cwd });
      writeFileSync(join(cwd, 'torch', 'input.npy'), encodeNpy(sampleRange(data, 0, 4), [4, 8, 8, 1]));
      execFileSync(PYTHON, [join(import.meta.dirname, 'run-pytorch.py'), join(cwd, 'torch')]);
      const read = (name: string) => parseNpy(readFileSync(join(cwd, 'torch', name)), name).data;
      expect(maxDifference(read('code.npy'), encode(run.program, data).values)).toBeLessThan(1e-5);
      expect(maxDifference(read('reconstruction.npy'), reconstruct(run.program, data).values)).toBeLessThan(1e-5);
    } finally {
      run.program.dispose();
    }
  });

  it.each([
    [['export', 'run', '--format', 'pytorch', '-o', 'small.ae'], "-o 'small.ae' is a file; --format pytorch writes a directory"],
    [['export', 'run', '--format', 'pytorch', '--part', 'encoder', '-o', 'torch2'], '--part is for --format onnx'],
    [['export', 'run', '-o', 'x.onnx'], '--format onnx or --format pytorch is required'],
    [['export', 'run', '--format', 'onnx'], '-o FILE.onnx is required'],
    [['export', 'run', '--format', 'onnx', '-o', 'x.txt'], "-o needs a .onnx file, got 'x.txt'"],
    [['export', 'small.ae', '--format', 'onnx', '-o', 'x.onnx'], "'small.ae' is a file; RUN is a run directory"],
    [['export', 'run', '--format', 'tflite', '-o', 'x.onnx'], "option '--format' must be one of"],
  ])('ae %j is misuse', async (argv, message) => {
    const result = await ae(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

// ONNX files describe themselves (metadata_props: the input's shape, range and scaling, the latent's
// kind, each output, the aelang version), and a VAE exports what sampling needs: the whole model and
// the encoder give the posterior's mean and log-variance beside the code, and the decoder alone turns
// prior draws into the runtime's samples (`ae sample`), all checked with onnxruntime-node within 1e-5.
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../../export/onnx/index.js';
import { decodeModel } from '../../onnx/proto.js';
import { selectBackend } from '../../runtime/backends/index.js';
import { drawPrior, decode } from '../../runtime/tasks/index.js';
import { maxDifference, randomizedProgram, sampleInput, specModels } from './models.js';

const vae = specModels().find(({ ir }) => ir.model === 'beta_vae')!.ir;
const dense = specModels().find(({ ir }) => ir.model === 'chain')!.ir;

beforeAll(async () => {
  await selectBackend('cpu');
});

async function run(bytes: Uint8Array, feeds: Record<string, { shape: number[]; values: Float32Array }>) {
  const session = await ort.InferenceSession.create(bytes);
  const results = await session.run(Object.fromEntries(Object.entries(feeds).map(([name, v]) => [name, new ort.Tensor('float32', v.values, v.shape)])));
  const names = session.outputNames;
  await session.release();
  return { names, values: Object.fromEntries(Object.entries(results).map(([name, t]) => [name, { values: t.data as Float32Array, shape: t.dims as number[] }])) };
}

const metadata = (bytes: Uint8Array) => Object.fromEntries((decodeModel(bytes).metadata_props ?? []).map((p) => [p.key, p.value]));

describe('ONNX export of a VAE', () => {
  it('gives the mean and log-variance of the runtime within 1e-5, from the whole model and the encoder', async () => {
    const { program, weights } = randomizedProgram(vae);
    try {
      const input = sampleInput(vae, 3);
      const [meanId, logvarId] = vae.nodes.find((n) => n.id === vae.outputs.latent)!.inputs;
      const expected = tf.tidy(() => {
        const outputs = program.forward({ [input.name]: tf.tensor(input.values, input.shape) }, { training: false });
        return { mean: outputs.get(meanId!)!.dataSync() as Float32Array, logvar: outputs.get(logvarId!)!.dataSync() as Float32Array };
      });
      for (const part of ['model', 'encoder'] as const) {
        const { names, values } = await run(exportOnnx(vae, weights, { part }), { [input.name]: input });
        expect(names).toEqual(part === 'model' ? ['reconstruction', 'code', 'mean', 'log_variance'] : ['code', 'mean', 'log_variance']);
        expect(values.mean!.shape).toEqual([3, 8]);
        expect(maxDifference(values.mean!.values, expected.mean)).toBeLessThan(1e-5);
        expect(maxDifference(values.log_variance!.values, expected.logvar)).toBeLessThan(1e-5);
        expect(maxDifference(values.code!.values, expected.mean)).toBeLessThan(1e-5); // the code is the mean at inference
      }
    } finally {
      program.dispose();
    }
  });

  it('samples with the decoder alone: prior draws give ae sample’s images within 1e-5', async () => {
    const { program, weights } = randomizedProgram(vae);
    try {
      const codes = drawPrior(program, { count: 4, seed: 5 });
      const bytes = exportOnnx(vae, weights, { part: 'decoder' });
      const { names, values } = await run(bytes, { code: codes });
      expect(names).toEqual(['reconstruction']);
      expect(values.reconstruction!.shape).toEqual([4, 28, 28, 1]);
      expect(maxDifference(values.reconstruction!.values, decode(program, codes).values)).toBeLessThan(1e-5);
      expect(metadata(bytes)).toMatchObject({
        'aelang.part': 'decoder',
        'aelang.inputs': '["code"]',
        'aelang.sampling': "feed input 'code' with draws from N(0, I) of shape [batch, 8] to generate",
      });
    } finally {
      program.dispose();
    }
  });
});

describe('ONNX metadata', () => {
  it('names the input’s shape, range and scaling, the latent’s kind, every output and the version', () => {
    const { program, weights } = randomizedProgram(vae);
    program.dispose();
    expect(metadata(exportOnnx(vae, weights, { version: '9.9.9' }))).toEqual({
      'aelang.version': '9.9.9',
      'aelang.model': 'beta_vae',
      'aelang.part': 'model',
      'aelang.input.name': 'x',
      'aelang.input.shape': '[28,28,1]',
      'aelang.input.layout': 'NHWC (aelang layout: [batch, height, width, channels])',
      'aelang.input.range': '[0,1]',
      'aelang.input.scaling': '8-bit data (0..255) maps linearly onto [0, 1]: low + v * (high - low) / 255; other values must already lie in [0, 1]',
      'aelang.latent.name': 'z',
      'aelang.latent.kind': 'gaussian',
      'aelang.latent.shape': '[8]',
      'aelang.inputs': '["x"]',
      'aelang.outputs': '["reconstruction","code","mean","log_variance"]',
      'aelang.output.reconstruction': 'the reconstruction of the input, in its shape and range',
      'aelang.output.code': "the code: the posterior's mean (inference draws no noise)",
      'aelang.output.mean': "the gaussian posterior's mean",
      'aelang.output.log_variance': "the gaussian posterior's log-variance (log sigma^2); sample with mean + exp(0.5 * log_variance) * N(0, I)",
    });
  });

  it('says a deterministic code is one, and carries no VAE outputs', async () => {
    const { program, weights } = randomizedProgram(dense);
    program.dispose();
    const bytes = exportOnnx(dense, weights, { part: 'encoder' });
    expect(metadata(bytes)).toMatchObject({ 'aelang.latent.kind': 'deterministic', 'aelang.outputs': '["code"]', 'aelang.part': 'encoder', 'aelang.input.shape': '[784]', 'aelang.input.layout': 'plain', 'aelang.version': 'unknown' });
    expect((await ort.InferenceSession.create(bytes)).outputNames).toEqual(['code']);
  });
});

describe('ONNX metadata of a table and a conditional model', () => {
  const payments = specModels().find(({ ir }) => ir.model === 'payments')!.ir;
  const cvae = specModels().find(({ ir }) => ir.model === 'cvae')!.ir;
  const levels = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);
  const encoding = {
    columns: [
      { name: 'amount', mean: 52.5, std: 20.25 },
      { name: 'hour', mean: 12, std: 6.5 },
      { name: 'merchant', levels: levels(40, 'm') },
      { name: 'country', levels: levels(12, 'c') },
    ],
  };

  it('records the table’s columns and the run’s encoding of rows', () => {
    const { program, weights } = randomizedProgram(payments);
    program.dispose();
    const meta = metadata(exportOnnx(payments, weights, { table: encoding }));
    expect(JSON.parse(meta['aelang.input.encoding']!)).toEqual(encoding);
    expect(JSON.parse(meta['aelang.input.columns']!)).toEqual(payments.inputs[0]!.columns);
    expect(meta['aelang.input.layout']).toBe('table row, encoded: amount (numeric: (v - mean) / std), hour (numeric: (v - mean) / std), merchant (one-hot over 40 levels), country (one-hot over 12 levels)');
    expect(meta['aelang.input.shape']).toBe('[54]');
  });

  it('refuses an encoding of other columns, naming the column', () => {
    const { program, weights } = randomizedProgram(payments);
    program.dispose();
    const wrong = { columns: [...encoding.columns.slice(0, 3), { name: 'country', levels: levels(11, 'c') }] };
    expect(() => exportOnnx(payments, weights, { table: wrong })).toThrow("the table encoding's column 'country' has 11 levels, the model declares category(12)");
  });

  it('names the label input of each part that reads it', () => {
    const { program, weights } = randomizedProgram(cvae);
    program.dispose();
    for (const part of ['model', 'encoder', 'decoder'] as const) {
      const meta = metadata(exportOnnx(cvae, weights, { part }));
      expect(meta['aelang.inputs']).toBe(part === 'decoder' ? '["code","y"]' : '["x","y"]');
      expect(meta['aelang.input.y']).toBe('the condition: class indices 0..9, int64, shape [batch]');
    }
  });
});

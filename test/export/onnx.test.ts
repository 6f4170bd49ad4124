// ONNX export against the runtime: every model in specs/valid/ with random weights, run by
// onnxruntime-node (its bundled CPU build), gives the runtime's reconstruction and code within 1e-5,
// whole and by halves; a half that cannot run alone (a decoder unpooling by the encoder's switches)
// fails with an ExportError naming the node and op.
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../../export/onnx/index.js';
import { ExportError } from '../../export/weights.js';
import { selectBackend } from '../../runtime/backends/index.js';
import { maxDifference, notExportable, randomizedProgram, runtimeOutputs, sampleInput, specModels } from './models.js';

const models = specModels();
const switchesUnpool = (ir: (typeof models)[number]['ir']) => ir.nodes.find((n) => (n.op === 'unpool' || n.op === 'unpool1d') && n.attrs.mode === 'switches');

beforeAll(async () => {
  await selectBackend('cpu'); // the reference backend
});

async function run(bytes: Uint8Array, feeds: Record<string, { shape: number[]; values: Float32Array }>) {
  const session = await ort.InferenceSession.create(bytes);
  const tensors = Object.fromEntries(Object.entries(feeds).map(([name, v]) => [name, new ort.Tensor('float32', v.values, v.shape)]));
  const results = await session.run(tensors);
  await session.release();
  return Object.fromEntries(Object.entries(results).map(([name, t]) => [name, { values: t.data as Float32Array, shape: t.dims as number[] }]));
}

describe('models the exporters refuse', () => {
  it('refuses a conditional model and a table model with an ExportError naming why', () => {
    const refused = specModels({ exportable: false }).filter(({ ir }) => notExportable(ir));
    expect(refused.map(({ file }) => file)).toEqual(['conditional.ir.json', 'table.ir.json']);
    const messages = refused.map(({ ir }) => {
      try {
        exportOnnx(ir, randomizedProgram(ir).weights);
      } catch (error) {
        expect(error).toBeInstanceOf(ExportError);
        return (error as Error).message;
      }
      return 'exported';
    });
    expect(messages[0]).toBe("this part of the model reads the input 'y', which it does not take");
    expect(messages[1]).toMatch(/^node 'output.x_hat': a table output does not export to ONNX/);
  });
});

describe('ae export --format onnx', () => {
  it('covers decoders that run alone and decoders that do not', () => {
    expect(models.length).toBe(76);
    expect(models.filter(({ ir }) => switchesUnpool(ir)).length).toBe(8);
  });

  it.each(models.map(({ file, ir }) => [`${file} ${ir.model}`, ir] as const))('%s: outputs equal the runtime’s within 1e-5', async (_name, ir) => {
    const { program, weights } = randomizedProgram(ir);
    try {
      const input = sampleInput(ir, 3);
      const expected = runtimeOutputs(program, input);
      const whole = await run(exportOnnx(ir, weights), { [input.name]: input });
      expect(whole.reconstruction!.shape).toEqual([3, ...ir.nodes.find((n) => n.id === ir.outputs.reconstruction)!.shape.slice(1)]);
      expect(whole.code!.shape).toEqual(expected.codeShape);
      expect(maxDifference(whole.reconstruction!.values, expected.reconstruction)).toBeLessThan(1e-5);
      expect(maxDifference(whole.code!.values, expected.code)).toBeLessThan(1e-5);

      const encoder = await run(exportOnnx(ir, weights, { part: 'encoder' }), { [input.name]: input });
      const gaussian = ir.nodes.find((n) => n.id === ir.outputs.latent)?.op === 'gaussian_sample';
      expect(Object.keys(encoder)).toEqual(gaussian ? ['code', 'mean', 'log_variance'] : ['code']);
      expect(Object.keys(whole)).toEqual(gaussian ? ['reconstruction', 'code', 'mean', 'log_variance'] : ['reconstruction', 'code']);
      expect(maxDifference(encoder.code!.values, expected.code)).toBeLessThan(1e-5);
      const unpool = switchesUnpool(ir);
      if (unpool?.op === 'unpool' || unpool?.op === 'unpool1d') {
        const message = `the decoder cannot run alone: node '${unpool.id}' (${unpool.op}) needs the switches of encoder node '${unpool.inputs[1]!.split(':')[0]}'`;
        expect(() => exportOnnx(ir, weights, { part: 'decoder' })).toThrow(new ExportError(message));
        return;
      }
      const decoder = await run(exportOnnx(ir, weights, { part: 'decoder' }), { code: { shape: expected.codeShape, values: expected.code } });
      expect(maxDifference(decoder.reconstruction!.values, expected.reconstruction)).toBeLessThan(1e-5);
    } finally {
      program.dispose();
    }
  });
});

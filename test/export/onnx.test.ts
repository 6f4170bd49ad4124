// ONNX export against the runtime: every model in specs/valid/ with random weights, run by
// onnxruntime-node (its bundled CPU build), gives the runtime's reconstruction and code within 1e-5,
// whole and by halves; a half that cannot run alone (a decoder unpooling by the encoder's switches)
// fails with an ExportError naming the node and op. A table model takes its encoded row; a
// conditional model takes its label (int64) as a second input, in every part that reads it.
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../../export/onnx/index.js';
import { ExportError } from '../../export/weights.js';
import type { IRModel } from '../../ir/types.js';
import { selectBackend } from '../../runtime/backends/index.js';
import { conditional, exampleModels, maxDifference, randomizedProgram, runtimeOutputs, sampleInput, sampleLabels, specModels, table, type Feed } from './models.js';

const models = [...specModels(), ...exampleModels()];
const switchesUnpool = (ir: (typeof models)[number]['ir']) => ir.nodes.find((n) => (n.op === 'unpool' || n.op === 'unpool1d') && n.attrs.mode === 'switches');

beforeAll(async () => {
  await selectBackend('cpu'); // the reference backend
});

async function run(bytes: Uint8Array, feeds: Feed[]) {
  const session = await ort.InferenceSession.create(bytes);
  const tensors = Object.fromEntries(feeds.map((f) => [f.name, f.label ? new ort.Tensor('int64', BigInt64Array.from([...f.values].map(BigInt)), f.shape) : new ort.Tensor('float32', f.values, f.shape)]));
  const inputNames = session.inputNames;
  const results = await session.run(tensors);
  await session.release();
  return { inputNames, ...Object.fromEntries(Object.entries(results).map(([name, t]) => [name, { values: t.data as Float32Array, shape: t.dims as number[] }])) } as Record<string, { values: Float32Array; shape: number[] }> & { inputNames: readonly string[] };
}

describe('ae export --format onnx', () => {
  it('covers decoders that run alone and decoders that do not, tables and conditional models', () => {
    expect(models.length).toBe(81);
    expect(models.filter(({ ir }) => switchesUnpool(ir)).length).toBe(8);
    expect(models.filter(({ ir }) => table(ir)).map(({ ir }) => ir.model)).toEqual(['payments', 'payments']);
    expect(models.filter(({ ir }) => conditional(ir)).map(({ ir }) => ir.model)).toEqual(['cvae', 'cvae', 'cvae_2d']);
  });

  it.each(models.map(({ file, ir }) => [`${file} ${ir.model}`, ir] as const))('%s: outputs equal the runtime’s within 1e-5', async (_name, ir) => {
    const { program, weights } = randomizedProgram(ir);
    try {
      const input = sampleInput(ir, 3);
      const labels = sampleLabels(ir, 3);
      const expected = runtimeOutputs(program, input, labels);
      const whole = await run(exportOnnx(ir, weights), [input, ...labels]);
      expect(whole.inputNames).toEqual([input.name, ...labels.map((l) => l.name)]);
      expect(whole.reconstruction!.shape).toEqual([3, ...ir.nodes.find((n) => n.id === ir.outputs.reconstruction)!.shape.slice(1)]);
      expect(whole.code!.shape).toEqual(expected.codeShape);
      expect(maxDifference(whole.reconstruction!.values, expected.reconstruction)).toBeLessThan(1e-5);
      expect(maxDifference(whole.code!.values, expected.code)).toBeLessThan(1e-5);

      const encoderLabels = labels.filter((l) => readsLabel(ir, 'encoder', l.name));
      const encoder = await run(exportOnnx(ir, weights, { part: 'encoder' }), [input, ...encoderLabels]);
      expect(encoder.inputNames).toEqual([input.name, ...encoderLabels.map((l) => l.name)]);
      const gaussian = ir.nodes.find((n) => n.id === ir.outputs.latent)?.op === 'gaussian_sample';
      const outputs = (r: Record<string, unknown>) => Object.keys(r).filter((k) => k !== 'inputNames');
      expect(outputs(encoder)).toEqual(gaussian ? ['code', 'mean', 'log_variance'] : ['code']);
      expect(outputs(whole)).toEqual(gaussian ? ['reconstruction', 'code', 'mean', 'log_variance'] : ['reconstruction', 'code']);
      expect(maxDifference(encoder.code!.values, expected.code)).toBeLessThan(1e-5);
      const unpool = switchesUnpool(ir);
      if (unpool?.op === 'unpool' || unpool?.op === 'unpool1d') {
        const message = `the decoder cannot run alone: node '${unpool.id}' (${unpool.op}) needs the switches of encoder node '${unpool.inputs[1]!.split(':')[0]}'`;
        expect(() => exportOnnx(ir, weights, { part: 'decoder' })).toThrow(new ExportError(message));
        return;
      }
      const decoderLabels = labels.filter((l) => readsLabel(ir, 'decoder', l.name));
      const decoder = await run(exportOnnx(ir, weights, { part: 'decoder' }), [{ name: 'code', shape: expected.codeShape, values: expected.code }, ...decoderLabels]);
      expect(decoder.inputNames).toEqual(['code', ...decoderLabels.map((l) => l.name)]);
      expect(maxDifference(decoder.reconstruction!.values, expected.reconstruction)).toBeLessThan(1e-5);
    } finally {
      program.dispose();
    }
  });

  it('a conditional model’s output depends on its label: another class gives another reconstruction', async () => {
    const ir = models.find(({ ir }) => conditional(ir))!.ir;
    const { program, weights } = randomizedProgram(ir);
    try {
      const input = sampleInput(ir, 3);
      const [label] = sampleLabels(ir, 3);
      const shifted = { ...label!, values: label!.values.map((v) => (v + 1) % 10) };
      const bytes = exportOnnx(ir, weights);
      const a = await run(bytes, [input, label!]);
      const b = await run(bytes, [input, shifted]);
      expect(maxDifference(a.reconstruction!.values, b.reconstruction!.values)).toBeGreaterThan(1e-3);
      expect(maxDifference(b.reconstruction!.values, runtimeOutputs(program, input, [shifted]).reconstruction)).toBeLessThan(1e-5);
    } finally {
      program.dispose();
    }
  });
});

/** Whether the nodes of a stage read the label input (`encoder on x, y`, `decoder on z, y`). */
function readsLabel(ir: IRModel, stage: 'encoder' | 'decoder', label: string): boolean {
  return ir.nodes.some((n) => n.stage === stage && n.inputs.includes(label));
}

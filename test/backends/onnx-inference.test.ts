// The onnx engine's inference passes (every task and the validation during training run through
// them) against the tfjs cpu reference, on every model of specs/ and examples/ whose ops it lowers:
// the whole model from a batch, the decoder from given codes (what sample and interpolate run), and
// the objective with the reconstruction's error over a data set (validation, `ae eval`).
// Every node's value and every side output the reference publishes (the logits a loss reads) must
// agree (models.ts's tolerances); a disagreement names the model, the pass and the value.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IRModel } from '../../ir/types.js';
import { selectBackend } from '../../runtime/backends/index.js';
import { loadOnnxRuntime, onnxInference, unsupportedInference, type OnnxRuntime } from '../../runtime/engines/onnx/index.js';
import { tidyValue } from '../../runtime/program/gradient.js';
import type { InMemoryDataset } from '../../runtime/data/dataset.js';
import type { ForwardOptions, Program } from '../../runtime/program/program.js';
import { codeUsage, encodeCodes, reconstruct, sample } from '../../runtime/tasks/index.js';
import { evaluate, evaluationObjective } from '../../runtime/tasks/infer.js';
import { modelInputs } from '../../runtime/train/batches.js';
import { planStages } from '../../runtime/train/stages.js';
import { averageLoss } from '../../runtime/train/validate.js';
import { compareQuantities, modelsUnderTest, perturbedProgram, type Quantity } from './models.js';
import { seededRandom } from './seeded.js';
import { buildStageGraph } from '../../compiler/step/step-graph.js';

const BATCH = 3;
let runtime: OnnxRuntime;
const models = modelsUnderTest();

beforeAll(async () => {
  const loaded = await loadOnnxRuntime();
  if (!loaded.ok) throw new Error(loaded.why);
  runtime = loaded.runtime;
  await selectBackend('cpu');
});

afterAll(async () => {
  await selectBackend('cpu');
});

function batchOf(ir: IRModel): Record<string, tf.Tensor> {
  const random = seededRandom(5);
  const inputs: Record<string, tf.Tensor> = {};
  for (const input of ir.inputs) {
    const sample = input.shape.slice(1) as number[];
    if (input.kind === 'label') inputs[input.name] = tf.tensor1d(Int32Array.from({ length: BATCH }, () => Math.floor(random() * (input.classes ?? 2))), 'int32');
    else {
      const [low, high] = input.range ?? [0, 1];
      inputs[input.name] = tf.tensor(Float32Array.from({ length: BATCH * sample.reduce((a, b) => a * b, 1) }, () => low + (high - low) * random()), [BATCH, ...sample]);
    }
  }
  return inputs;
}

function valuesOf(outputs: Map<string, tf.Tensor>, keys: Iterable<string>): Map<string, Quantity> {
  return new Map([...keys].map((key) => [key, { what: `value '${key}'`, values: Array.from(outputs.get(key)!.dataSync()) }]));
}

/** The reference's values on cpu, then the same pass through the onnx delegate. */
function bothWays(program: Program, inputs: Record<string, tf.Tensor>, options: ForwardOptions): { reference: Map<string, Quantity>; onnx: Map<string, Quantity>; keys: string[] } {
  return tidyValue(() => {
    const expected = program.forward(inputs, options);
    const keys = [...expected.keys()].filter((key) => !Object.hasOwn(inputs, key) && !options.given?.has(key) && !key.endsWith(':switches'));
    const reference = valuesOf(expected, keys);
    program.delegateInference(onnxInference(runtime, 1, buildStageGraph)(program));
    try {
      const actual = program.forward(inputs, options);
      const onnx = new Map([...valuesOf(actual, keys.filter((k) => actual.has(k)))]);
      return { reference, onnx, keys };
    } finally {
      program.delegateInference(undefined);
    }
  });
}

/** The batch as a data set of its own. */
function datasetOf(ir: IRModel, inputs: Record<string, tf.Tensor>): InMemoryDataset {
  const data = ir.inputs.find((i) => i.kind !== 'label')!;
  const label = ir.inputs.find((i) => i.kind === 'label');
  return {
    name: 'batch',
    count: BATCH,
    sampleShape: data.shape.slice(1) as number[],
    x: inputs[data.name]!.dataSync() as Float32Array,
    ...(label ? { labels: inputs[label.name]!.dataSync() as Int32Array } : {}),
  };
}

/** `ae eval`'s figures and each greedy layer's validation loss over the batch, batches of two: the
 *  onnx engine's evaluation graphs against the objective computed on cpu. */
function evaluationProblems(program: Program, inputs: Record<string, tf.Tensor>): string[] {
  const dataset = datasetOf(program.ir, inputs);
  const layers = planStages(program.ir).filter((stage) => stage.greedy);
  const layerLoss = () => layers.map((stage) => averageLoss(program, dataset, modelInputs(program.ir), { objective: stage.objective, batch: 2, greedy: stage.greedy! }).loss);
  const reference = evaluate(program, dataset, { batch: 2 });
  const referenceLayers = layerLoss();
  program.delegateInference(onnxInference(runtime, 1, buildStageGraph)(program));
  try {
    if (!program.evaluateDelegated(dataset, evaluationObjective(program), 2)) return ['evaluation: not delegated'];
    if (layers.some((stage) => !program.evaluateDelegated(dataset, stage.objective, 2, stage.greedy))) return ['greedy validation: not delegated'];
    const actual = evaluate(program, dataset, { batch: 2 });
    const figures: [string, number, number][] = [
      ['loss', actual.loss, reference.loss],
      ['mse', actual.mse, reference.mse],
      ...Object.entries(reference.terms).map(([name, value]): [string, number, number] => [`term ${name}`, actual.terms[name] ?? NaN, value]),
      ...layerLoss().map((loss, i): [string, number, number] => [`${layers[i]!.name} validation loss`, loss, referenceLayers[i]!]),
    ];
    return figures.filter(([, a, r]) => !(Math.abs(a - r) <= 1e-4 * Math.max(1, Math.abs(r)))).map(([what, a, r]) => `evaluation: ${what} ${a} vs ${r}`);
  } finally {
    program.delegateInference(undefined);
  }
}

describe('the onnx engine infers as the cpu reference does', () => {
  const lowered = models.filter((m) => unsupportedInference(m.ir) === null);

  it('covers the models whose ops it lowers', () => {
    expect(lowered.length).toBeGreaterThan(60);
  });

  for (const model of lowered) {
    it(model.name, () => {
      const program = perturbedProgram(model.ir);
      try {
        const inputs = batchOf(model.ir);
        const whole = bothWays(program, inputs, { training: false });
        expect(whole.keys).toEqual(expect.arrayContaining(model.ir.nodes.map((n) => n.id)));
        const problems = compareQuantities(whole.onnx, whole.reference).map((d) => `inference: ${d.what} [${d.index}] ${d.actual} vs ${d.reference}`);

        // the decoder from given codes: what `ae sample` and `ae interpolate` run
        const latent = model.ir.nodes.findIndex((n) => n.id === model.ir.outputs.latent);
        const decoder = model.ir.nodes.slice(latent + 1).filter((n) => n.stage === 'decoder' || n.stage === 'output');
        // (a decoder that reads anything of the encoder's but the code, its pooling switches say,
        // cannot decode a given code)
        const external = [...new Set(decoder.flatMap((n) => n.inputs))].filter((id) => !decoder.some((n) => n.id === id));
        if (decoder.length > 0 && external.length === 1 && external[0] === model.ir.outputs.latent) {
          const code = tf.tidy(() => program.forward(inputs, { training: false }).get(model.ir.outputs.latent)!.clone());
          const given = new Map([[model.ir.outputs.latent, code]]);
          const decoded = bothWays(program, {}, { training: false, nodes: decoder, given });
          problems.push(...compareQuantities(decoded.onnx, decoded.reference).map((d) => `decoding: ${d.what} [${d.index}] ${d.actual} vs ${d.reference}`));
          code.dispose();
        }
        problems.push(...evaluationProblems(program, inputs));
        expect(problems).toEqual([]);
        tf.dispose(Object.values(inputs));
      } finally {
        program.dispose();
      }
    });
  }
});

describe('the vq tasks on the onnx engine give the cpu reference’s numbers', () => {
  // `ae encode --codes`, `ae reconstruct` and `ae sample` on each vq model (dense and conv codes):
  // the code indices (int32, as on tfjs, exactly equal), the reconstructions, the code usage a
  // sample draws by and the decoded samples.
  const vqModels = models.filter((m) => m.ir.nodes.find((n) => n.id === m.ir.outputs.latent)?.op === 'vector_quantize');

  it('covers the vq models of specs/ and examples/', () => {
    expect(vqModels.length).toBeGreaterThanOrEqual(3);
  });

  for (const model of vqModels) {
    it(model.name, () => {
      const program = perturbedProgram(model.ir);
      try {
        const data = model.ir.inputs.find((i) => i.kind !== 'label')!;
        const x = batchOf(model.ir)[data.name]!;
        const dataset = { name: 'seeded', count: BATCH, sampleShape: x.shape.slice(1), x: x.dataSync() as Float32Array };
        const tasks = () => {
          const usage = codeUsage(program, dataset);
          return { codes: encodeCodes(program, dataset), reconstruction: reconstruct(program, dataset), usage, samples: sample(program, { count: 4, seed: 3, codeUsage: usage }).samples };
        };
        const onCpu = tasks();
        program.delegateInference(onnxInference(runtime, 1, buildStageGraph)(program));
        const node = model.ir.nodes.find((n) => n.id === model.ir.outputs.latent)!;
        const published = tf.tidy(() => program.forward({ [data.name]: x }, { training: false }).get(`${node.id}:codes`)!.dtype);
        const onOnnx = tasks();
        program.delegateInference(undefined);
        expect(published).toBe('int32');
        expect(Array.from(onOnnx.codes.values)).toEqual(Array.from(onCpu.codes.values));
        expect(onOnnx.codes.shape).toEqual(onCpu.codes.shape);
        expect(Array.from(onOnnx.usage)).toEqual(Array.from(onCpu.usage));
        const problems = compareQuantities(
          new Map([['reconstruction', { what: 'reconstruction', values: Array.from(onOnnx.reconstruction.values) }], ['samples', { what: 'samples', values: Array.from(onOnnx.samples.values) }]]),
          new Map([['reconstruction', { what: 'reconstruction', values: Array.from(onCpu.reconstruction.values) }], ['samples', { what: 'samples', values: Array.from(onCpu.samples.values) }]]),
        );
        expect(problems.map((d) => `${d.what} [${d.index}] ${d.actual} vs ${d.reference}`)).toEqual([]);
        x.dispose();
      } finally {
        program.dispose();
      }
    });
  }
});

// On the GPU machine (bench/gpu/run.sh): the onnx engine on ONNX Runtime's WebGPU provider against
// the same engine on its CPU kernels (which `npm test` holds to the tfjs cpu reference), on every
// model of specs/ and examples/ the engine lowers: the inference pass (every node's value) and three
// training steps with SGD and momentum (every step's loss and terms, every parameter after). One
// line per model; a disagreement names the model, the pass and the quantity.
//
//   node bench/gpu/onnx-conformance.js [--json out.json] [--only NAME-PART]
//   (`--provider cpu` runs the CPU against itself: this script's own check, where no GPU is.)
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type { IRModel } from '../../ir/types.js';
import { selectBackend } from '../../runtime/backends/index.js';
import { loadOnnxRuntime, onnxEngine, onnxInference, unsupported, type OnnxRuntime } from '../../runtime/engines/onnx/index.js';
import { Rng } from '../../runtime/program/rng.js';
import { planStages } from '../../runtime/train/stages.js';
import { compareQuantities, modelsUnderTest, perturbedProgram, type Quantity } from '../../test/backends/models.js';
import { seededRandom } from '../../test/backends/seeded.js';
import { buildStageGraph } from '../../compiler/step/step-graph.js';

const BATCH = 4;
const STEPS = 3;
const argv = process.argv.slice(2);
const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);

function batchOf(ir: IRModel) {
  const random = seededRandom(11);
  const data = ir.inputs.find((i) => i.kind !== 'label')!;
  const label = ir.inputs.find((i) => i.kind === 'label');
  const sampleShape = data.shape.slice(1) as number[];
  const [low, high] = data.range ?? [0, 1];
  const x = Float32Array.from({ length: BATCH * sampleShape.reduce((a, b) => a * b, 1) }, () => low + (high - low) * random());
  const labels = label ? Int32Array.from({ length: BATCH }, () => Math.floor(random() * (label.classes ?? 2))) : undefined;
  return { dataset: { name: 'seeded', count: BATCH, sampleShape, x, ...(labels ? { labels } : {}) }, data: data.name, label: label?.name };
}

/** Every node's value in inference, then three training steps per stage, on `runtime`. */
async function quantities(runtime: OnnxRuntime, ir: IRModel): Promise<Map<string, Quantity>> {
  const found = new Map<string, Quantity>();
  const { dataset, data, label } = batchOf(ir);
  const program = perturbedProgram(ir);
  try {
    program.delegateInference(onnxInference(runtime, 1, buildStageGraph)(program));
    tf.tidy(() => {
      const inputs: Record<string, tf.Tensor> = { [data]: tf.tensor(dataset.x, [BATCH, ...dataset.sampleShape]) };
      if (label && dataset.labels) inputs[label] = tf.tensor1d(dataset.labels, 'int32');
      const outputs = program.forward(inputs, { training: false });
      for (const node of ir.nodes) found.set(`inference ${node.id}`, { what: `inference: value '${node.id}'`, values: Array.from(outputs.get(node.id)!.dataSync()) });
    });
    program.delegateInference(undefined);
    for (const stage of planStages(ir, 1)) {
      const momentum = { ...stage, update: { ...stage.update, optimizer: { kind: 'sgd' as const, lr: 0.01, momentum: 0.9, weightDecay: 0 } } };
      const engine = await onnxEngine(runtime, 1, buildStageGraph)(momentum, program);
      try {
        for (let step = 1; step <= STEPS; step++) {
          const result = await engine.step(dataset, null, 0, BATCH, new Rng(step), stage.objective);
          found.set(`${stage.name} step ${step}`, { what: `stage '${stage.name}': loss at step ${step}`, values: [result.loss, ...Object.values(result.terms)] });
        }
        engine.sync();
        for (const id of stage.trainable) found.set(`${stage.name} ${id}`, { what: `stage '${stage.name}': parameter ${id} after ${STEPS} steps`, values: Array.from(program.variables.get(id)!.dataSync()) });
      } finally {
        await engine.dispose();
      }
    }
  } finally {
    program.dispose();
  }
  return found;
}

await selectBackend('cpu');
const loaded = await loadOnnxRuntime();
if (!loaded.ok) throw new Error(loaded.why);
const webgpu = loaded.runtime.on(option('--provider') === 'cpu' ? 'cpu' : 'webgpu');
const why = await webgpu.unavailable();
console.log(why === null ? `onnx on ${webgpu.provider}: ${webgpu.version}, the provider started` : `onnx on ${webgpu.provider}: ${why}`);
const results: { model: string; disagreements: string[]; seconds: number }[] = [];
if (why === null) {
  const only = option('--only');
  for (const model of modelsUnderTest().filter((m) => unsupported(m.ir) === null && (only === undefined || m.name.includes(only)))) {
    const started = performance.now();
    let disagreements: string[];
    try {
      const reference = await quantities(loaded.runtime, model.ir);
      disagreements = compareQuantities(await quantities(webgpu, model.ir), reference).map(
        (d) => `${d.what}: ${webgpu.provider} ${d.actual}, cpu ${d.reference} at [${d.index}] (|Δ| ${d.maxAbs.toPrecision(3)} > ${d.bound.toPrecision(2)})`,
      );
    } catch (error) {
      disagreements = [`threw: ${(error as Error).message.split('\n')[0]}`];
    }
    const seconds = (performance.now() - started) / 1000;
    results.push({ model: model.name, disagreements, seconds });
    console.log(`${disagreements.length === 0 ? 'ok  ' : 'FAIL'} ${model.name} (${seconds.toFixed(1)} s)`);
    for (const line of disagreements.slice(0, 3)) console.log(`     ${line}`);
  }
}
const failed = results.filter((r) => r.disagreements.length > 0).length;
console.log(`${results.length - failed} passed, ${failed} failed (onnx on ${webgpu.provider} against onnx on the CPU)`);
const out = option('--json');
if (out) writeFileSync(out, `${JSON.stringify({ provider: webgpu.provider, unavailable: why, results }, null, 2)}\n`);
process.exitCode = why !== null || failed > 0 ? 1 : 0;

// The onnx engine against the tfjs cpu reference on every model of specs/ and examples/ it trains:
// each stage (greedy layers included) takes three steps from the same perturbed weights, data and
// noise seeds on both, and every step's loss and terms and every parameter after the steps are
// compared (models.ts's tolerances). A disagreement names the model, the stage and the quantity.
// The models' trajectories are taken with SGD with momentum: Adam's first steps are ±lr for any
// gradient above float noise, so a gradient that is 0 up to rounding (a unit dead on all but one
// sample) would move a weight by lr on one engine and not the other. Adam, RMSprop and weight
// decay are compared on their own, on models whose gradients are not near 0.
// Models with ops the engine does not lower yet are listed, and train on tfjs (run-support.ts).
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IRModel, Optimizer } from '../../ir/types.js';
import { selectBackend } from '../../runtime/backends/index.js';
import type { InMemoryDataset } from '../../runtime/data/index.js';
import { loadOnnxRuntime, onnxEngine, unsupported, type OnnxRuntime } from '../../runtime/engines/onnx/index.js';
import { createOptimizer } from '../../runtime/optim/optimizer.js';
import { tidyValue } from '../../runtime/program/gradient.js';
import { Rng } from '../../runtime/program/rng.js';
import { planStages, type Stage } from '../../runtime/train/stages.js';
import { trainStep } from '../../runtime/train/step.js';
import { codeFor } from '../../runtime/train/validate.js';
import { compareQuantities, modelsUnderTest, perturbedProgram, type Quantity } from './models.js';
import { seededRandom } from './seeded.js';
import { analyzeSource } from '../../compiler/analyze.js';
import { buildStageGraph } from '../../compiler/step/step-graph.js';
import { buildProgram, type Program } from '../../runtime/program/program.js';
import { RESTART_EVERY as RESTART_WINDOW } from '../../ir/codebook-upkeep.js';

const BATCH = 4;
const STEPS = 3;

function seededDataset(ir: IRModel): InMemoryDataset {
  const random = seededRandom(11);
  const data = ir.inputs.find((i) => i.kind !== 'label')!;
  const label = ir.inputs.find((i) => i.kind === 'label');
  const sampleShape = data.shape.slice(1) as number[];
  const [low, high] = data.range ?? [0, 1];
  const x = Float32Array.from({ length: BATCH * sampleShape.reduce((a, b) => a * b, 1) }, () => low + (high - low) * random());
  const labels = label ? Int32Array.from({ length: BATCH }, () => Math.floor(random() * (label.classes ?? 2))) : undefined;
  return { name: 'seeded', count: BATCH, sampleShape, x, ...(labels ? { labels } : {}) };
}

function record(into: Map<string, Quantity>, step: number, result: { loss: number; terms: Record<string, number> }): void {
  into.set(`step ${step} loss`, { what: `loss at step ${step}`, values: [result.loss] });
  for (const [name, value] of Object.entries(result.terms)) into.set(`step ${step} ${name}`, { what: `term ${name} at step ${step}`, values: [value] });
}

function recordWeights(into: Map<string, Quantity>, program: ReturnType<typeof perturbedProgram>, stage: Stage): void {
  for (const id of stage.trainable) into.set(`after ${id}`, { what: `parameter ${id} after ${STEPS} steps`, values: Array.from(program.variables.get(id)!.dataSync()) });
}

/** How many steps, from which weights (default: perturbed, seed 1), and a look at the weights after each step. */
interface RunOptions {
  steps?: number;
  program?: (ir: IRModel) => Program;
  afterStep?: (step: number, program: Program) => void;
}

/** Three tfjs steps on the cpu backend, as the loop takes them. */
function referenceRun(ir: IRModel, stage: Stage, dataset: InMemoryDataset, options: RunOptions = {}): Map<string, Quantity> {
  const quantities = new Map<string, Quantity>();
  const program = (options.program ?? perturbedProgram)(ir);
  const batch = dataset.count;
  const optimizer = createOptimizer(stage.update.optimizer, new Set(stage.update.decayed));
  try {
    for (let step = 1; step <= (options.steps ?? STEPS); step++) {
      const result = tidyValue(() => {
        const data = ir.inputs.find((i) => i.kind !== 'label')!;
        const label = ir.inputs.find((i) => i.kind === 'label');
        const inputs: Record<string, tf.Tensor> = { [data.name]: tf.tensor(dataset.x, [batch, ...dataset.sampleShape]) };
        if (label && dataset.labels) inputs[label.name] = tf.tensor1d(dataset.labels, 'int32');
        const given = stage.greedy ? codeFor(program, inputs, stage.greedy) : undefined;
        return trainStep({
          program,
          objective: stage.objective,
          optimizer,
          trainable: stage.trainable,
          inputs,
          rng: new Rng(step),
          noise: stage.noise,
          ...(stage.greedy ? { nodes: stage.greedy.nodes, rename: stage.greedy.rename } : {}),
          ...(given ? { given } : {}),
        });
      });
      record(quantities, step, result);
      options.afterStep?.(step, program);
    }
    recordWeights(quantities, program, stage);
  } finally {
    optimizer.dispose();
    program.dispose();
  }
  return quantities;
}

async function onnxRun(runtime: OnnxRuntime, ir: IRModel, stage: Stage, dataset: InMemoryDataset, options: RunOptions = {}): Promise<Map<string, Quantity>> {
  const quantities = new Map<string, Quantity>();
  const program = (options.program ?? perturbedProgram)(ir);
  const engine = await onnxEngine(runtime, 1, buildStageGraph)(stage, program);
  try {
    for (let step = 1; step <= (options.steps ?? STEPS); step++) {
      record(quantities, step, await engine.step(dataset, null, 0, dataset.count, new Rng(step), stage.objective));
      if (options.afterStep) {
        engine.sync();
        options.afterStep(step, program);
      }
    }
    engine.sync();
    recordWeights(quantities, program, stage);
  } finally {
    await engine.dispose();
    program.dispose();
  }
  return quantities;
}

const models = modelsUnderTest();
const trained = models.filter((m) => unsupported(m.ir) === null);
let runtime: OnnxRuntime;

beforeAll(async () => {
  const loaded = await loadOnnxRuntime();
  if (!loaded.ok) throw new Error(`onnxruntime-node must load for these tests: ${loaded.why}`);
  runtime = loaded.runtime;
  await selectBackend('cpu');
});

afterAll(async () => {
  await selectBackend('cpu');
});

describe('the onnx engine trains as the cpu reference does', () => {
  it('trains the dense families of examples/ (the rest are named by unsupported())', () => {
    const names = trained.map((m) => m.name).join(' ');
    for (const example of ['mnist/mnist', 'basic/basic', 'deep/hinton2006', 'variational/vae', 'denoising/denoising', 'stacked-denoising/sdae', 'sparse/sparse', 'binary/binary', 'anomaly/anomaly']) {
      expect(names).toContain(`examples/${example}.ae`);
    }
    for (const model of models.filter((m) => !trained.includes(m))) expect(unsupported(model.ir)).toMatch(/^it does not train (the op|the loss term) '/);
  });

  const momentum: Optimizer = { kind: 'sgd', lr: 0.01, momentum: 0.9, weightDecay: 0 };
  // both engines apply the stage plan's update
  const withOptimizer = (stage: Stage, optimizer: Optimizer): Stage => ({ ...stage, update: { ...stage.update, optimizer } });
  const disagreements = async (ir: IRModel, stages: Stage[]): Promise<string[]> => {
    const dataset = seededDataset(ir);
    const lines: string[] = [];
    for (const stage of stages) {
      const reference = referenceRun(ir, stage, dataset);
      const found = compareQuantities(await onnxRun(runtime, ir, stage, dataset), reference);
      for (const d of found.slice(0, 3)) lines.push(`stage '${stage.name}' (${stage.update.optimizer.kind}): ${d.what}: onnx ${d.actual}, cpu ${d.reference} at [${d.index}] (|Δ| ${d.maxAbs.toPrecision(3)} > ${d.bound.toPrecision(2)})`);
    }
    return lines;
  };

  for (const model of trained) {
    it(model.name, async () => {
      expect(await disagreements(model.ir, planStages(model.ir, 1).map((stage) => withOptimizer(stage, momentum)))).toEqual([]);
    }, 300_000); // the cpu reference's transposed convolutions are plain loops
  }

  // epsilon 1e-3: a relu unit active on one sample has a gradient of ~1e-6, which Adam and RMSprop
  // would turn into a step that rounding decides; with a larger epsilon their rules are compared.
  const optimizers: Optimizer[] = [
    { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-3, weightDecay: 0.05 },
    { kind: 'sgd', lr: 0.05, momentum: 0, weightDecay: 0.1 },
    { kind: 'rmsprop', lr: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-3, weightDecay: 0 },
    { kind: 'rmsprop', lr: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-3, weightDecay: 0.01 },
  ];
  for (const optimizer of optimizers) {
    it(`updates as the tfjs optimiser does: ${JSON.stringify(optimizer)}`, async () => {
      const basic = models.find((m) => m.name.includes('examples/basic/basic.ae'))!;
      expect(await disagreements(basic.ir, planStages(basic.ir, 1).map((stage) => withOptimizer(stage, optimizer)))).toEqual([]);
    });
  }
});

describe('recurrent step graphs', () => {
  // The sensors example's LSTM autoencoder over a window of `steps`: conv1d, lstm, dense, repeat_vector, lstm (every state), dense per step.
  const windowModel = (steps: number) => {
    const source = `model s {
  input s: [${steps}, 3]
  encoder { conv1d(4, kernel = 3, act = relu), lstm(5) }
  latent z = dense(2)
  decoder { repeat_vector(${steps}), lstm(5, sequences = true), dense(3, per_step = true) }
  output s_hat = linear
  loss = mse(s_hat, s)
  train { epochs = 1 }
}`;
    const analysis = analyzeSource(source, 'window.ae');
    expect(analysis.irs, JSON.stringify(analysis.diagnostics)).toHaveLength(1);
    return analysis.irs[0]!;
  };
  const stepGraph = (steps: number) => {
    const ir = windowModel(steps);
    const stage = planStages(ir, 1)[0]!;
    return buildStageGraph({ ir, objective: stage.objective, trainable: stage.trainable });
  };

  it('grow linearly with the window (the same nodes for every step, forward and backward)', () => {
    const [a, b, c] = [16, 32, 64].map((steps) => stepGraph(steps).nodeCount);
    expect(c! - b!).toBe(2 * (b! - a!));
    expect((b! - a!) / 16).toBeLessThan(100);
  });

  it('train a 512-step window', async () => {
    const ir = windowModel(512);
    const stage = planStages(ir, 1)[0]!;
    const program = perturbedProgram(ir);
    const before = Array.from(program.variables.get(stage.trainable[0]!)!.dataSync());
    const engine = await onnxEngine(runtime, 1, buildStageGraph)(stage, program);
    try {
      const result = await engine.step(seededDataset(ir), null, 0, BATCH, new Rng(1), stage.objective);
      expect(Number.isFinite(result.loss) && result.loss > 0).toBe(true);
      engine.sync();
      expect(Array.from(program.variables.get(stage.trainable[0]!)!.dataSync())).not.toEqual(before);
    } finally {
      await engine.dispose();
      program.dispose();
    }
  }, 300_000);
});

describe('vq codebook upkeep, step by step', () => {
  // A fresh codebook (at its initial values: seeded from the first batch) and a batch of two
  // patterns only: k-means++ gives two codes and copies, the copies never win a tie, and at step
  // RESTART_WINDOW the dead ones move onto vectors of the batch. Both engines, every step compared.
  const source = `model v {
  input x: [6]
  encoder { dense(8, act = tanh), dense(3) }
  latent z = vq(codes = 6, dim = 3, commitment = 0.5)
  decoder = mirror(encoder)
  output x_hat = linear
  loss = mse(x_hat, x) + vq_loss(z)
  train { epochs = 1, optimizer = sgd(lr = 0.05, momentum = 0.9) }
}`;
  const patterns = [[0.9, 0.1, 0.8, 0.2, 0.7, 0.3], [0.1, 0.9, 0.2, 0.6, 0.3, 0.8]];
  const dataset: InMemoryDataset = { name: 'two patterns', count: 6, sampleShape: [6], x: Float32Array.from({ length: 36 }, (_, i) => patterns[Math.floor(i / 6) % 2]![i % 6]!) };
  const steps = RESTART_WINDOW + 2;

  it(`seeds the codebook and restarts its dead codes at step ${RESTART_WINDOW} as the cpu reference does`, async () => {
    const analysis = analyzeSource(source, 'v.ae');
    const ir = analysis.irs[0]!;
    const stage = planStages(ir, 1)[0]!;
    const codebookId = ir.parameters.find((q) => q.role === 'codebook')!.id;
    const fresh = (model: IRModel) => buildProgram(model, { seed: 1 });
    const snapshots: number[][] = [];
    const afterStep = (step: number, program: Program) => {
      if ([1, RESTART_WINDOW - 1, RESTART_WINDOW].includes(step)) snapshots.push(Array.from(program.variables.get(codebookId)!.dataSync()));
    };
    const reference = referenceRun(ir, stage, dataset, { steps, program: fresh });
    const found = compareQuantities(await onnxRun(runtime, ir, stage, dataset, { steps, program: fresh, afterStep }), reference);
    expect(found.slice(0, 3).map((d) => `${d.what}: onnx ${d.actual}, cpu ${d.reference} at [${d.index}]`)).toEqual([]);
    // on the engine: the rows no vector chose did not move from step 1 to step 49, and moved at step 50
    const [first, before, after] = snapshots.map((values) => Array.from({ length: 6 }, (_, c) => values.slice(c * 3, c * 3 + 3).join()));
    const dead = first!.map((row, c) => (row === before![c] ? c : -1)).filter((c) => c >= 0);
    expect(dead.length).toBeGreaterThanOrEqual(2);
    for (const c of dead) expect(after![c], `code ${c}`).not.toBe(before![c]);
  }, 60_000);
});

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { analyzeFile } from '../../compiler/analyze.js';
import type { IRModel } from '../../ir/types.js';
import { validateIR } from '../../ir/schema-validation.js';
import { cpuFallbackKernel } from '../../runtime/kernels/cpu_fallback.js';
import { computeObjective, termNames } from '../../runtime/objective/objective.js';
import { createOptimizer } from '../../runtime/optim/optimizer.js';
import { buildProgram, type Program } from '../../runtime/program/program.js';
import { Rng } from '../../runtime/program/rng.js';
import { evaluationObjective } from '../../runtime/tasks/infer.js';
import { planStages, type Stage } from '../../runtime/train/stages.js';
import { codeFor } from '../../runtime/train/validate.js';
import { seededRandom } from './seeded.js';

/**
 * Differential conformance of whole models: every model in specs/ and examples/ runs the same
 * passes on two backends from the same seeded weights and data, and every number a pass produces
 * is compared. A pass is one training step of one stage (every node's output and side output,
 * every objective term, the loss, every trainable parameter's gradient, and the parameters after
 * one optimiser update), or the inference pass that `ae eval`, `encode` and `reconstruct` run
 * (every node in inference mode, and the evaluation objective's terms and loss).
 */

const root = path.resolve(import.meta.dirname, '../..');

export interface ModelUnderTest {
  /** e.g. `specs/valid/hinton2006.ir.json#0 = examples/deep/hinton2006.ae#0` (one model, two files). */
  name: string;
  ir: IRModel;
}

/** Every golden IR under specs/ and every model of every example, compiled. */
export function modelsUnderTest(): ModelUnderTest[] {
  const files = (dir: string, ext: string) =>
    readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith(ext))
      .sort()
      .map((file) => path.join(dir, file));
  const golden = files('specs', '.ir.json').flatMap((file) =>
    ([] as unknown[]).concat(JSON.parse(readFileSync(path.join(root, file), 'utf8'))).map((json, i) => ({ name: `${file}#${i}`, json })),
  );
  const examples = files('examples', '.ae').flatMap((file) =>
    analyzeFile(file, { cwd: root }).irs.map((ir, i) => ({ name: `${file}#${i}`, json: JSON.parse(JSON.stringify(ir)) as unknown })),
  );
  // An example's golden IR and the example compiled are one model: tested once, under both names.
  const byContent = new Map<string, ModelUnderTest>();
  for (const { name, json } of [...golden, ...examples]) {
    const valid = validateIR(json);
    if (!valid.ok) throw new Error(`${name}: ${valid.error}`);
    const content = JSON.stringify(valid.ir, (key, value: unknown) => (key === 'source' ? undefined : value)); // file and line differ
    const same = byContent.get(content);
    if (same) same.name += ` = ${name}`;
    else byContent.set(content, { name, ir: valid.ir });
  }
  return [...byContent.values()];
}

/**
 * A rough cost of a model's passes on cpu, to split the models into shards that take about as
 * long: multiply-adds per sample (each parameterised node: its kernel's size times the positions
 * of its output) plus the parameters (the optimiser step touches each).
 */
export function estimatedCost(ir: IRModel): number {
  const sizes = new Map(ir.parameters.map((p) => [p.id, p.shape.reduce((a, b) => a * b, 1)]));
  let cost = [...sizes.values()].reduce((a, b) => a + b, 0);
  for (const node of ir.nodes) {
    const kernel = node.params?.kernel;
    if (kernel === undefined || node.shape === undefined) continue;
    const positions = (node.shape.slice(1, -1) as (number | null)[]).reduce<number>((a, b) => a * (b ?? 1), 1);
    cost += (sizes.get(kernel) ?? 0) * positions;
  }
  return cost;
}

/** Splits the models into `count` shards of about equal estimated cost (largest first, each to the lightest shard). */
export function shardOf(models: readonly ModelUnderTest[], shard: number, count: number): ModelUnderTest[] {
  const shards = Array.from({ length: count }, () => ({ cost: 0, models: [] as ModelUnderTest[] }));
  const byCost = [...models].sort((a, b) => estimatedCost(b.ir) - estimatedCost(a.ir));
  for (const model of byCost) {
    const lightest = shards.reduce((a, b) => (b.cost < a.cost ? b : a));
    lightest.cost += estimatedCost(model.ir);
    lightest.models.push(model);
  }
  return shards[shard]!.models.sort((a, b) => a.name.localeCompare(b.name));
}

/** One number array a pass produced, and what it is (for the report). */
export interface Quantity {
  what: string;
  values: number[];
}

export interface Pass {
  /** `inference`, or `training stage <name>`. */
  name: string;
  /**
   * Builds the model on the current backend (perturbedProgram) and returns every quantity by key. Given
   * the reference backend's quantities, the optimiser step applies the reference's gradients, so
   * that the step is compared on equal inputs: Adam divides by √v + ε, which turns a gradient that
   * is float noise around 0 (a bias before batch norm) into a step of ±lr either way.
   */
  run(reference?: Map<string, Quantity>): Map<string, Quantity>;
}

const BATCH = 3;

/** Seeded data in each input's declared range (labels: class ids), a batch of 3. */
function seededInputs(ir: IRModel): Record<string, tf.Tensor> {
  const random = seededRandom(11);
  const inputs: Record<string, tf.Tensor> = {};
  for (const input of ir.inputs) {
    const shape = [BATCH, ...(input.shape.slice(1) as number[])];
    const size = shape.reduce((a, b) => a * b, 1);
    if (input.kind === 'label') {
      inputs[input.name] = tf.tensor(Int32Array.from({ length: size }, () => Math.floor(random() * (input.classes ?? 2))), shape, 'int32');
    } else {
      const [low, high] = input.range ?? [0, 1];
      inputs[input.name] = tf.tensor(Float32Array.from({ length: size }, () => low + (high - low) * random()), shape, 'float32');
    }
  }
  return inputs;
}

const read = (t: tf.Tensor) => Array.from(t.dataSync() as ArrayLike<number>);

/** Node outputs and side outputs by id, labelled with the node's op. */
function recordOutputs(ir: IRModel, outputs: ReadonlyMap<string, tf.Tensor>, into: Map<string, Quantity>, prefix: string): void {
  const ops = new Map(ir.nodes.map((n) => [n.id, n.op]));
  for (const [id, value] of outputs) {
    const [nodeId, side] = id.split(':') as [string, string | undefined];
    const op = ops.get(nodeId);
    if (op === undefined) continue; // a model input
    const what = side === undefined ? `node ${nodeId} (${op})` : `node ${nodeId} (${op}) side output '${side}'`;
    into.set(`${prefix}${id}`, { what, values: read(value) });
  }
}

/**
 * The model from seed 1, with every parameter moved off its initial value by seeded noise: at
 * initialisation biases and batch-norm shifts are 0 and scales 1, which hides a kernel that adds
 * a bias in the wrong place (tfjs-backend-wasm's _FusedMatMul did exactly that). Moving variances
 * are scaled, never shifted, so they stay positive.
 */
export function perturbedProgram(ir: IRModel): Program {
  const program = buildProgram(ir, { seed: 1 });
  const random = seededRandom(7);
  tf.tidy(() => {
    for (const [id, variable] of program.variables) {
      const noise = tf.tensor(Float32Array.from({ length: variable.size }, () => random() - 0.5), variable.shape, 'float32');
      const moved = program.parameters.parameter(id).role === 'moving_variance' ? tf.mul(variable, tf.add(1, noise)) : tf.add(variable, tf.mul(noise, 0.2));
      variable.assign(moved);
    }
  });
  return program;
}

function trainingPass(model: ModelUnderTest, stageIndex: number, stageName: string): Pass {
  return {
    name: `training stage '${stageName}'`,
    run: (reference) => {
      const quantities = new Map<string, Quantity>();
      const program = perturbedProgram(model.ir);
      const stage = stagesOf(model.ir)[stageIndex]!;
      // As train.ts does: decoupled weight decay on kernels and codebooks only.
      const decayed = new Set(stage.trainable.filter((id) => ['kernel', 'codebook'].includes(program.parameters.parameter(id).role)));
      const optimizer = createOptimizer(stage.phase.optimizer, decayed);
      try {
        tf.tidy(() => {
          const inputs = seededInputs(model.ir);
          const given = stage.greedy ? codeFor(program, inputs, stage.greedy) : undefined;
          const variables = stage.trainable.map((id) => program.variables.get(id)!);
          const { grads } = tf.variableGrads(() => {
            const outputs = program.forward(inputs, {
              training: true,
              rng: new Rng(2),
              ...(stage.greedy ? { nodes: stage.greedy.nodes, rename: stage.greedy.rename } : {}),
              ...(given ? { given } : {}),
            });
            recordOutputs(model.ir, outputs, quantities, 'forward ');
            recordObjective(program, stage.objective, outputs, quantities);
            return computeObjective(stage.objective, model.ir, program.parameters, outputs).total;
          }, variables);
          const byId: Record<string, tf.Tensor> = {};
          stage.trainable.forEach((id, i) => {
            const grad = grads[variables[i]!.name];
            if (grad == null) return;
            quantities.set(`grad ${id}`, { what: `gradient of parameter ${id}`, values: read(grad) });
            const given = reference?.get(`grad ${id}`);
            byId[id] = given ? tf.tensor(given.values, grad.shape, 'float32') : grad;
          });
          optimizer.apply(byId, program.variables);
          for (const [id, variable] of program.variables) {
            quantities.set(`after step ${id}`, { what: `parameter ${id} after one ${stage.phase.optimizer.kind} step`, values: read(variable) });
          }
        });
      } finally {
        optimizer.dispose();
        program.dispose();
      }
      return quantities;
    },
  };
}

function recordObjective(program: Program, objective: Stage['objective'], outputs: ReadonlyMap<string, tf.Tensor>, into: Map<string, Quantity>): void {
  const value = computeObjective(objective, program.ir, program.parameters, outputs);
  const names = termNames(objective, program.ir);
  value.terms.forEach((term, i) => into.set(`term ${i}`, { what: `objective term ${names[i]}`, values: read(term.value) }));
  into.set('loss', { what: 'loss', values: read(value.total) });
}

function inferencePass(model: ModelUnderTest): Pass {
  return {
    name: 'inference',
    run: () => {
      const quantities = new Map<string, Quantity>();
      const program = perturbedProgram(model.ir);
      try {
        tf.tidy(() => {
          const outputs = program.forward(seededInputs(model.ir), { training: false });
          recordOutputs(model.ir, outputs, quantities, 'forward ');
          recordObjective(program, evaluationObjective(program), outputs, quantities);
        });
      } finally {
        program.dispose();
      }
      return quantities;
    },
  };
}

function stagesOf(ir: IRModel): Stage[] {
  return planStages(ir, 1);
}

/** Every pass of a model: one per training stage (greedy layers included), and inference. */
export function passesOf(model: ModelUnderTest): Pass[] {
  const program = buildProgram(model.ir, { seed: 1 });
  const stageNames = stagesOf(model.ir).map((stage) => stage.name);
  program.dispose();
  return [...stageNames.map((name, i) => trainingPass(model, i, name)), inferencePass(model)];
}

/**
 * |actual − reference| ≤ ATOL + RTOL · max |reference| over the quantity. Float32 sums taken in a
 * different order (XNNPACK's blocked products vs tfjs-cpu's loops) differ by a few ulps per
 * operation; through a deep network, a batch norm over 3 samples and the backward pass the worst
 * seen over every model is 4e-5 of the magnitude, so RTOL = 1e-3 leaves a margin of 25. Every
 * kernel bug found so far is off by more than 1e-1 of it. ATOL covers values that are 0 up to
 * float noise: a bias's gradient before a batch norm (~1e-9), and a batch norm of a feature that
 * is constant over the batch (a dead relu, one VQ code for every sample), whose (x − mean) is
 * rounding noise of ~1e-7 divided by √ε = 0.03, so ~2e-6.
 */
export const RTOL = 1e-3;
export const ATOL = 1e-5;

export interface Disagreement {
  key: string;
  what: string;
  index: number;
  actual: number;
  reference: number;
  maxAbs: number;
  bound: number;
}

function maxAbsOf(values: readonly number[]): number {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  return max;
}

/** The quantities of `actual` that disagree with `reference`, in the order the pass produced them. */
export function compareQuantities(actual: Map<string, Quantity>, reference: Map<string, Quantity>): Disagreement[] {
  const found: Disagreement[] = [];
  for (const [key, ref] of reference) {
    const got = actual.get(key);
    if (got === undefined || got.values.length !== ref.values.length) {
      found.push({ key, what: ref.what, index: -1, actual: NaN, reference: NaN, maxAbs: Infinity, bound: 0 });
      continue;
    }
    const bound = ATOL + RTOL * maxAbsOf(ref.values);
    let worst = -1;
    let maxAbs = 0;
    ref.values.forEach((r, i) => {
      const diff = Math.abs(got.values[i]! - r);
      if (!(diff <= maxAbs)) {
        maxAbs = Number.isNaN(diff) ? Infinity : diff;
        worst = i;
      }
    });
    if (maxAbs > bound) found.push({ key, what: ref.what, index: worst, actual: got.values[worst]!, reference: ref.values[worst]!, maxAbs, bound });
  }
  return found;
}

/**
 * The kernels that account for a disagreement: run on `backend`, the pass is repeated once per
 * kernel it runs with just that kernel computed by tfjs-backend-cpu (on copies); a kernel whose
 * swap makes `key` agree with the reference is a culprit.
 */
export async function culpritKernels(pass: Pass, backend: string, key: string, reference: Map<string, Quantity>): Promise<string[]> {
  await tf.setBackend(backend);
  const profile = await tf.profile(() => {
    pass.run();
  });
  const kernels = [...new Set(profile.kernelNames)].filter((name) => !name.endsWith('__op')).sort();
  const culprits: string[] = [];
  for (const kernelName of kernels) {
    const own = tf.getKernel(kernelName, backend);
    if (own == null) continue;
    tf.unregisterKernel(kernelName, backend);
    tf.registerKernel(cpuFallbackKernel(kernelName, backend));
    try {
      const swapped = pass.run(reference);
      if (compareQuantities(new Map([[key, swapped.get(key)!]]), new Map([[key, reference.get(key)!]])).length === 0) culprits.push(kernelName);
    } catch {
      // This kernel cannot run on copies in the middle of this pass (so it is not the one to blame).
    } finally {
      tf.unregisterKernel(kernelName, backend);
      tf.registerKernel(own);
    }
  }
  return culprits;
}

/** e.g. `examples/deep/hinton2006.ae#0, inference: node dec1 (dense): wasm 2.41, cpu 0.82 at [17] (|Δ| 1.59 > 6.1e-4); kernel _FusedMatMul`. */
export function describeDisagreement(model: string, pass: string, backend: string, d: Disagreement, culprits: string[]): string {
  const at = d.index < 0 ? 'missing or of another size' : `${backend} ${d.actual}, cpu ${d.reference} at [${d.index}] (|Δ| ${d.maxAbs.toPrecision(3)} > ${d.bound.toPrecision(2)})`;
  const kernels = culprits.length > 0 ? `kernel ${culprits.join(', ')}` : 'no single kernel accounts for it';
  return `${model}, ${pass}: ${d.what}: ${at}; ${kernels}`;
}

/** Every pass of `model` on `backend` against cpu: one line per disagreeing pass, for its first disagreeing quantity. */
export async function modelDisagreements(model: ModelUnderTest, backend: string): Promise<string[]> {
  const lines: string[] = [];
  for (const pass of passesOf(model)) {
    await tf.setBackend('cpu');
    const reference = pass.run();
    await tf.setBackend(backend);
    const found = compareQuantities(pass.run(reference), reference);
    if (found.length === 0) continue;
    const culprits = await culpritKernels(pass, backend, found[0]!.key, reference);
    lines.push(describeDisagreement(model.name, pass.name, backend, found[0]!, culprits));
  }
  return lines;
}

// What bench/families.ts and bench/lockstep.ts share: the families of examples/, each as the IR both
// sides train; the work handed to the PyTorch peer (bench/families_peer.py: IR, aelang's initial
// weights, data); the MNIST subsets; and the figures computed on the test subset.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeSource } from '../../compiler/analyze.js';
import type { IRModel, IRPhase } from '../../ir/types.js';
import { loadDataset, sampleRange, type Dataset } from '../../runtime/data/index.js';
import { encodeNpy } from '../../runtime/io/npy.js';
import { buildProgram, type Program } from '../../runtime/program/program.js';
import { evaluate, evaluationObjective, modelMetrics, type ModelMetrics } from '../../runtime/tasks/index.js';
import { modelInputs } from '../../runtime/train/batches.js';

export const root = resolve(import.meta.dirname, '../..');
const PYTHON = '/usr/bin/python3';
const PEER = join(root, 'bench', 'families_peer.py');

export interface Family {
  name: string;
  file: string;
  model?: string;
  /** Edits to the source, e.g. the untied variant of a tied model. */
  edit?: (text: string) => string;
}

export const FAMILIES: Family[] = [
  { name: 'basic', file: 'examples/basic/basic.ae' },
  { name: 'mnist', file: 'examples/mnist/mnist.ae' },
  { name: 'deep-tied', file: 'examples/deep/hinton2006.ae' },
  { name: 'deep-untied', file: 'examples/deep/hinton2006.ae', edit: (t) => t.replace('mirror(encoder, tied = true)', 'mirror(encoder)') },
  { name: 'denoising', file: 'examples/denoising/denoising.ae' },
  { name: 'stacked-denoising', file: 'examples/stacked-denoising/sdae.ae' },
  { name: 'conv-upsample', file: 'examples/convolutional/cae.ae', model: 'keras_cae' },
  { name: 'conv-switches', file: 'examples/convolutional/cae.ae', model: 'cae' },
  { name: 'conv-classifier', file: 'examples/convolutional/cae.ae', model: 'cae_classifier' },
  { name: 'variational', file: 'examples/variational/vae.ae' },
  { name: 'sparse', file: 'examples/sparse/sparse.ae' },
  { name: 'contractive', file: 'examples/contractive/contractive.ae' },
  { name: 'vq-vae', file: 'examples/vq-vae/vqvae.ae' },
  { name: 'binary', file: 'examples/binary/binary.ae' },
  { name: 'onehot', file: 'examples/onehot/onehot.ae' },
];

/** The families named in a comma-separated list (all when absent); throws on an unknown name. */
export function chooseFamilies(list: string | undefined): Family[] {
  const names = list?.split(',');
  const unknown = names?.filter((n) => !FAMILIES.some((f) => f.name === n)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown families ${unknown.join(', ')}; known: ${FAMILIES.map((f) => f.name).join(', ')}`);
  return names ? FAMILIES.filter((f) => names.includes(f.name)) : FAMILIES;
}

/** `--flag value` from argv. */
export function flagValue(argv: string[], flag: string): string | undefined {
  const at = argv.indexOf(flag);
  return at >= 0 ? argv[at + 1] : undefined;
}

/** The default phase `train()` runs for a model without `train`, written out so the peer runs it too. */
const DEFAULT_OPTIMIZER: IRPhase['optimizer'] = { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 };

/** The family's IR with every phase at the given epochs, batch and seed, and no data sources of its
 *  own (both sides are handed the same subsets). */
export function benchIR(family: Family, work: { epochs: number; batch: number; seed: number }): IRModel {
  const source = readFileSync(join(root, family.file), 'utf8');
  const analysis = analyzeSource(family.edit ? family.edit(source) : source, family.file, { cwd: root });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${family.file}: ${errors.map((d) => d.message).join('; ')}`);
  const ir = analysis.irs.find((m) => family.model === undefined || m.model === family.model);
  if (!ir) throw new Error(`${family.file}: no model ${family.model ?? ''}`);
  const phases: IRPhase[] =
    ir.phases.length > 0 ? ir.phases : [{ name: 'train', optimizer: DEFAULT_OPTIMIZER, epochs: 0, batch: 0, seed: 0, freeze: [], objective: [] }];
  return {
    ...ir,
    phases: phases.map(({ data: _data, validate: _validate, ...phase }) => ({
      ...phase,
      epochs: work.epochs,
      batch: work.batch,
      seed: work.seed,
      ...(phase.schedule ? { schedule: { ...phase.schedule, epochs: work.epochs } } : {}),
    })),
  };
}

/** Loads each MNIST subset a family needs once (families with the same input share it). */
export function mnistSubsets(): (ir: IRModel, split: 'train' | 'test', limit: number) => Promise<Dataset> {
  const sets = new Map<string, Promise<Dataset>>();
  return (ir, split, limit) => {
    const inputs = modelInputs(ir);
    const key = `${split}:${JSON.stringify(inputs.data.shape)}:${JSON.stringify(inputs.data.range)}:${inputs.labels ? 'labels' : ''}`;
    if (!sets.has(key)) sets.set(key, loadDataset(`mnist:${split}`, inputs.data, { cwd: root, limit, ...(inputs.labels ? { labelsInput: inputs.labels } : {}) }));
    return sets.get(key)!;
  };
}

export function npy(values: Float32Array | Int32Array, shape: number[]): Uint8Array {
  return encodeNpy(values instanceof Float32Array ? values : Float32Array.from(values), shape);
}

/** Model, initial weights and data for the peer, in `dir`. */
export function writeWork(dir: string, ir: IRModel, trainSet: Dataset, testSet: Dataset, seed: number): void {
  mkdirSync(join(dir, 'init'), { recursive: true });
  writeFileSync(join(dir, 'model.ir.json'), JSON.stringify(ir));
  // buildProgram with the seed train() uses draws the weights train() starts from.
  const program = buildProgram(ir, { seed });
  for (const [id, variable] of program.variables) writeFileSync(join(dir, 'init', `${id}.npy`), npy(variable.dataSync() as Float32Array, variable.shape));
  program.dispose();
  for (const [name, set] of [['train', trainSet], ['test', testSet]] as const) {
    writeFileSync(join(dir, `${name}_x.npy`), npy(sampleRange(set, 0, set.count), [set.count, ...set.sampleShape]));
    if (set.labels) writeFileSync(join(dir, `${name}_y.npy`), npy(set.labels, [set.count]));
  }
}

export interface Figures extends ModelMetrics {
  /** Squared error summed over an image's values, averaged over the test images. */
  perImage: number;
  /** The same per value (pixel). */
  perPixel: number;
  loss: number;
  /** The mean training loss per sample over the last epoch of the last phase (the seeds' Keras
   *  figures are such losses). */
  trainLoss: number;
  seconds: number;
}

/** The test figures of a trained program: what `ae eval` prints. */
export function testFigures(program: Program, testSet: Dataset, seed: number): Omit<Figures, 'trainLoss' | 'seconds'> {
  const evaluation = evaluate(program, testSet);
  const pixels = testSet.sampleShape.reduce((a, b) => a * b, 1);
  const metrics = modelMetrics(program, testSet, evaluationObjective(program), { seed });
  return { ...metrics, perImage: evaluation.mse * pixels, perPixel: evaluation.mse, loss: evaluation.loss };
}

export interface PeerResult extends Figures {
  /** The loss of every training step, with --replay. */
  stepLosses?: number[];
}

/** Trains and tests the work in `dir` in PyTorch; `extra` are further flags of families_peer.py. */
export function runPeer(dir: string, threads: number, seed: number, extra: string[] = []): PeerResult {
  const run = spawnSync(PYTHON, [PEER, dir, '--threads', String(threads), '--seed', String(seed), ...extra], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`families_peer.py failed: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  type Out = ModelMetrics & { mse: number; pixels: number; loss: number; train_seconds: number; train_loss: number; step_losses?: number[] };
  const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as Out;
  return {
    ...out,
    perImage: out.mse * out.pixels,
    perPixel: out.mse,
    loss: out.loss,
    trainLoss: out.train_loss,
    seconds: out.train_seconds,
    ...(out.step_losses ? { stepLosses: out.step_losses } : {}),
  };
}

/** The peer's torch version, BLAS library and thread count, or why there is no peer. */
export function describePeer(threads: number): string {
  const run = spawnSync(PYTHON, [PEER, '--describe', String(threads)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`no PyTorch peer: ${PYTHON} with torch is needed (apt-get install python3-torch): ${run.stderr.trim()}`);
  return run.stdout.trim();
}

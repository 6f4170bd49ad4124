// aelang and PyTorch in lockstep: the same model, initial weights and data as bench/families.ts, and
// now also the same batch order of every epoch and the same reparameterisation noise (aelang's, replayed
// by the peer). The two sides then do the same arithmetic step by step, so the loss of every step
// can be compared: what is left between them is float32 rounding (different kernels, different
// summation orders), which training amplifies slowly. A systematic difference (an optimiser detail, a
// loss computed otherwise, a gradient) shows from the first steps instead.
//
//   nice -n 10 node --import tsx bench/lockstep.ts [--families variational,deep-tied,...] [--epochs 5]
//        [--train-size 60000] [--test-size 10000] [--batch 128] [--threads 2] [--seed 1]
//        [--engine onnx|wasm] [--json out.json]
//
// --engine: aelang's steps on its onnx engine (ONNX Runtime, the CPU default; the default here too)
// or on tfjs's wasm backend. The onnx engine draws its noise from the same PRNG, so the replay is
// the same either way.
//
// Models whose training draws other noise (corruption, dropout, stochastic codes, VQ codebook
// restarts) are refused: only the Gaussian latent's draws are replayed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { IRModel, IRNode } from '../ir/types.js';
import { latentKindOf } from '../ir/op-rules.js';
import { selectBackend } from '../runtime/backends/index.js';
import { loadOnnxRuntime, onnxEngine, unsupported } from '../runtime/engines/onnx/index.js';
import type { StageEngineFactory } from '../runtime/train/engine.js';
import type { Dataset } from '../runtime/data/index.js';
import { buildProgram } from '../runtime/program/program.js';
import { concat } from '../runtime/tasks/decode.js';
import { deriveSeed, Rng } from '../runtime/program/rng.js';
import { modelInputs } from '../runtime/train/batches.js';
import type { BatchLogs, Callback, EpochLogs, LoopContext } from '../runtime/train/callbacks/callback.js';
import { runLoop } from '../runtime/train/loop.js';
import { planStages } from '../runtime/train/stages.js';
import { benchIR, chooseFamilies, describePeer, flagValue, mnistSubsets, npy, runPeer, testFigures, writeWork, type Figures } from './peer/work.js';
import { buildStageGraph } from '../compiler/step/step-graph.js';

/** The epoch's PRNG, continued, keeping every seed it hands to a tfjs random op. */
class RecordingRng extends Rng {
  readonly seeds: number[] = [];

  constructor(private readonly inner: Rng) {
    super(0);
  }

  // normal() and permutation() draw through next(): everything continues the loop's own stream.
  override next(): number {
    return this.inner.next();
  }

  override getState(): number {
    return this.inner.getState();
  }

  override nextSeed(): number {
    const seed = super.nextSeed();
    this.seeds.push(seed);
    return seed;
  }
}

/**
 * What the peer needs to replay a run: each epoch's order (recomputed from the seed as the loop
 * draws it) and every reparameterisation draw (the loop's PRNG swapped for a recording one at the
 * start of each epoch; tf.randomNormal with a seed is a pure function of it, so the draws are
 * made again from the recorded seeds). Refuses a model that draws anything else.
 */
class Recorder implements Callback {
  readonly stepLosses: number[] = [];
  readonly orders: Int32Array[] = [];
  readonly noise: Float32Array[] = [];
  lastEpochLoss = Number.NaN;
  private rng?: RecordingRng;
  /** The Gaussian latents the stage's steps run, in the order they draw. */
  private gaussians: IRNode[] = [];

  constructor(private readonly seed: number) {}

  onStageBegin(context: LoopContext): void {
    this.gaussians = (context.stage.greedy?.nodes ?? context.program.ir.nodes).filter((n) => latentKindOf(n) === 'gaussian');
  }

  onEpochBegin(context: LoopContext): void {
    this.orders.push(new Rng(deriveSeed(this.seed, context.stageIndex, context.epoch)).permutation(context.dataset.count));
    this.rng = new RecordingRng(context.rng);
    context.rng = this.rng;
  }

  onBatchEnd(_context: LoopContext, logs: BatchLogs): void {
    const { result, size } = logs;
    if (result.nonFinite) throw new Error(`step ${this.stepLosses.length + 1}: ${result.nonFinite.term} is ${result.nonFinite.value}; the peer would not skip it`);
    const gaussians = this.gaussians;
    const seeds = this.rng!.seeds.splice(0);
    if (seeds.length !== gaussians.length) {
      throw new Error(`a step drew ${seeds.length} random tensors where its Gaussian latents draw ${gaussians.length}: this model has other noise, which the replay does not carry`);
    }
    seeds.forEach((s, i) => this.noise.push(tf.tidy(() => tf.randomNormal([size, ...gaussians[i]!.shape.slice(1).map(Number)], 0, 1, 'float32', s).dataSync() as Float32Array)));
    this.stepLosses.push(result.loss);
  }

  onEpochEnd(_context: LoopContext, logs: EpochLogs): void {
    this.lastEpochLoss = logs.loss;
  }
}

interface AelangRun extends Figures {
  stepLosses: number[];
  orders: Int32Array[];
  noise: Float32Array[];
}

/** The training loop `train()` runs (runtime/train/loop.ts), with the recorder as its only callback. */
async function trainAelang(ir: IRModel, trainSet: Dataset, testSet: Dataset, seed: number, engine?: StageEngineFactory): Promise<AelangRun> {
  const started = performance.now();
  const program = buildProgram(ir, { seed });
  const recorder = new Recorder(seed);
  try {
    await runLoop(
      {
        program,
        stages: planStages(ir),
        inputs: modelInputs(ir),
        seedOf: () => seed,
        batchOf: (stage) => stage.phase.batch,
        dataOf: async () => ({ dataset: trainSet }),
        callbacks: [recorder],
        ...(engine ? { engine } : {}),
      },
      { stage: 0, epoch: 0, step: 0 },
    );
    const seconds = (performance.now() - started) / 1000;
    const { stepLosses, orders, noise, lastEpochLoss } = recorder;
    return { ...testFigures(program, testSet, seed), trainLoss: lastEpochLoss, seconds, stepLosses, orders, noise };
  } finally {
    program.dispose();
  }
}

const relative = (a: number, t: number) => Math.abs(a - t) / Math.max(Math.abs(t), 1e-12);

/** How far the two loss curves are apart: at the first step, over the first 100 steps, and in the
 *  mean of the last epoch's step losses. */
function compare(a: number[], t: number[], stepsPerEpoch: number) {
  if (a.length !== t.length) throw new Error(`aelang took ${a.length} steps, the peer ${t.length}`);
  const differences = a.map((v, i) => relative(v, t[i]!));
  const early = Math.min(100, a.length);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const lastA = mean(a.slice(-stepsPerEpoch));
  const lastT = mean(t.slice(-stepsPerEpoch));
  return { steps: a.length, first: differences[0]!, earlyMax: Math.max(...differences.slice(0, early)), lastA, lastT, lastRelative: relative(lastA, lastT) };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const value = (flag: string) => flagValue(argv, flag);
  const work = {
    epochs: Number(value('--epochs') ?? 5),
    batch: Number(value('--batch') ?? 128),
    seed: Number(value('--seed') ?? 1),
  };
  const trainSize = Number(value('--train-size') ?? 60000);
  const testSize = Number(value('--test-size') ?? 10000);
  const threads = Number(value('--threads') ?? 2);
  const families = chooseFamilies(value('--families') ?? 'variational');
  const peer = describePeer(threads);
  const selection = await selectBackend('wasm', { threads });
  const engineName = value('--engine') ?? 'onnx';
  if (engineName !== 'onnx' && engineName !== 'wasm') throw new Error(`--engine takes onnx or wasm, not ${engineName}`);
  const ort = engineName === 'onnx' ? await loadOnnxRuntime() : undefined;
  if (ort && !ort.ok) throw new Error(`--engine onnx: ${ort.why}`);
  const aelangSide = ort?.ok ? `onnx (${ort.runtime.version}, ${threads} thread(s))` : `wasm (${selection.reason})`;
  console.error(`aelang: ${aelangSide}; PyTorch: ${peer}`);
  const dataFor = mnistSubsets();
  const dir = mkdtempSync(join(tmpdir(), 'ae-lockstep-'));
  const rows: string[][] = [];
  const results: Record<string, unknown> = {};
  try {
    for (const family of families) {
      try {
        const ir = benchIR(family, work);
        const trainSet = await dataFor(ir, 'train', trainSize);
        const testSet = await dataFor(ir, 'test', testSize);
        const familyDir = join(dir, family.name);
        writeWork(familyDir, ir, trainSet, testSet, work.seed);
        const why = ort?.ok ? unsupported(ir) : null;
        if (why) throw new Error(`the onnx engine: ${why} (run with --engine wasm)`);
        const aelang = await trainAelang(ir, trainSet, testSet, work.seed, ort?.ok ? onnxEngine(ort.runtime, threads, buildStageGraph) : undefined);
        writeFileSync(join(familyDir, 'replay_orders.npy'), npy(concat(aelang.orders.map((o) => Float32Array.from(o))), [aelang.orders.length, trainSet.count]));
        writeFileSync(join(familyDir, 'replay_noise.npy'), npy(concat(aelang.noise), [aelang.noise.reduce((n, p) => n + p.length, 0)]));
        const torch = runPeer(familyDir, threads, work.seed, ['--replay']);
        const c = compare(aelang.stepLosses, torch.stepLosses ?? [], Math.ceil(trainSet.count / work.batch));
        const nelbo = aelang.nelbo === undefined ? '' : `${aelang.nelbo.toFixed(2)} / ${torch.nelbo?.toFixed(2)}`;
        rows.push([
          family.name,
          String(c.steps),
          c.first.toExponential(1),
          c.earlyMax.toExponential(1),
          `${c.lastA.toPrecision(6)} / ${c.lastT.toPrecision(6)} (${c.lastRelative.toExponential(1)})`,
          `${aelang.perImage.toFixed(3)} / ${torch.perImage.toFixed(3)}`,
          nelbo,
        ]);
        const { orders: _orders, noise: _noise, ...kept } = aelang;
        results[family.name] = { aelang: kept, torch };
      } catch (error) {
        rows.push([family.name, `not run: ${(error as Error).message.split('\n')[0]}`, '', '', '', '', '']);
      }
      console.error(`${family.name}: ${rows.at(-1)!.join(' | ')}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const header = ['family', 'steps', 'loss rel. Δ, step 1', 'max rel. Δ, first 100 steps', 'mean step loss, last epoch (rel. Δ)', 'test error / image', 'negative ELBO'];
  console.log(`MNIST: first ${trainSize} training and ${testSize} test images; ${work.epochs} epochs, batch ${work.batch}, seed ${work.seed}; both sides ${threads} thread(s); same order and noise`);
  console.log(`aelang ${aelangSide} / PyTorch (${peer}); each pair: aelang / PyTorch\n`);
  console.log([header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n'));
  if (value('--json')) writeFileSync(value('--json')!, `${JSON.stringify({ work, trainSize, testSize, threads, peer, results })}\n`);
}

await main();

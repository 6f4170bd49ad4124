// The training loop: stages (phases; greedy layers expanded) in order, epochs, shuffled batches
// from the seeded PRNG, validation, early stopping, metrics as JSON lines, a checkpoint at the end of
// every epoch, and a refusal to apply a step whose loss is not finite.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { DataSource, IRModel, IRPhase } from '../../ir/types.js';
import { loadDataset, type Dataset } from '../data/index.js';
import { createOptimizer, type OptimizerState } from '../optim/optimizer.js';
import { buildProgram, type Program } from '../program/program.js';
import { tidyValue } from '../program/gradient.js';
import { deriveSeed, Rng } from '../program/rng.js';
import { formatModelMetrics, modelMetrics, type ModelMetrics } from '../tasks/metrics.js';
import { appendJsonLine, readJsonLines, writeFileAtomic, writeJsonAtomic } from '../runs/index.js';
import { batchInputs, batchStarts, modelInputs } from './batches.js';
import { loadResumeState, loadWeights, saveCheckpoint, type TrainState } from './checkpoint.js';
import { NonFiniteLossError, TrainingError } from './errors.js';
import { formatLoss, Progress, type ProgressSink } from './progress.js';
import { writeRunSummary } from './run-summary.js';
import { planStages, type Stage } from './stages.js';
import { trainStep } from './step.js';
import { averageLoss, codeFor } from './validate.js';

export const METRICS_FILE = 'metrics.jsonl';
export const IR_FILE = 'model.ir.json';

export interface TrainOptions {
  ir: IRModel;
  /** The run directory (created by the caller); everything is written here. */
  runDir: string;
  cwd: string;
  /** Overrides the weights' seed and every phase's seed. */
  seed?: number;
  epochs?: number;
  batch?: number;
  limit?: number;
  /** A `--data` argument: replaces every phase's training data. */
  data?: string;
  /** Data already in memory (tests), for every phase: training and validation. */
  dataset?: Dataset;
  validation?: Dataset;
  /** Continue the run in runDir from its last checkpoint. */
  resume?: boolean;
  /** The command-line options the run was started with, recorded in run.json as `overrides`. */
  overrides?: Record<string, string | number>;
  /** The backend's name for run.json (the caller selects it). */
  backend?: string;
  progress?: ProgressSink;
}

/** Without a validation set, the epoch's figures are computed on this many training samples. */
const EPOCH_METRICS_SAMPLES = 2000;

export interface MetricsLine {
  phase: string;
  epoch: number;
  step: number;
  loss: number;
  terms: Record<string, number>;
  val_loss: number | null;
  seconds: number;
  /** The family's figures (runtime/tasks/metrics.ts) on the validation set, or the first samples
   *  of the training set without one; absent in greedy stages. */
  metrics?: ModelMetrics & { data: string };
}

export interface TrainResult {
  program: Program;
  metrics: MetricsLine[];
  steps: number;
  samplesPerSecond: number;
  stoppedEarly: string[];
}

/** Loads each data source once per run (phases often share one). */
function datasetLoader(inputs: ReturnType<typeof modelInputs>, options: TrainOptions): (source: DataSource | string) => Promise<Dataset> {
  const cache = new Map<string, Promise<Dataset>>();
  return (source) => {
    const key = JSON.stringify(source);
    if (!cache.has(key)) {
      cache.set(
        key,
        loadDataset(source, inputs.data, {
          cwd: options.cwd,
          ...(options.limit ? { limit: options.limit } : {}),
          ...(inputs.labels ? { labelsInput: inputs.labels } : {}),
        }),
      );
    }
    return cache.get(key)!;
  };
}

const DEFAULT_PHASE: Omit<IRPhase, 'objective'> = {
  name: 'train',
  optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 },
  epochs: 10,
  batch: 64,
  seed: 0,
  freeze: [],
};

export async function train(options: TrainOptions): Promise<TrainResult> {
  const { ir, runDir } = options;
  const phases = ir.phases.length > 0 ? ir.phases : [{ ...DEFAULT_PHASE, objective: ir.objective }];
  const resumed = options.resume ? await loadResumeState(runDir) : undefined;
  // A resumed run keeps the seed it started with (its --seed, if it had one) unless told otherwise.
  const seedOverride = options.seed ?? resumed?.state.seedOverride ?? null;
  const seed = seedOverride ?? phases[0]!.seed;
  const inputs = modelInputs(ir);
  const program = buildProgram(ir, { seed });
  const progress = new Progress(options.progress ?? { stderr: () => {}, isTTY: false });
  const metrics: MetricsLine[] = [];
  const stoppedEarly: string[] = [];
  const started = performance.now();
  let trainedSamples = 0;
  let trainingSeconds = 0;
  try {
    const stages = planStages(ir, phases, program.parameters, options.epochs);
    // Every stage's data is read and checked before anything is written or trained: a file that does
    // not fit the input fails now, leaving no half-made run, not after an earlier phase has trained.
    const load = datasetLoader(inputs, options);
    for (const stage of stages) {
      if (!options.dataset) await load(options.data ?? stage.phase.data ?? missingData(stage));
      if (!options.validation && stage.phase.validate) await load(stage.phase.validate);
    }
    let state: TrainState = { stage: 0, stageName: stages[0]?.name ?? '', epoch: 0, step: 0, seed, seedOverride, stoppedEarly: false, earlyStop: { best: null, wait: 0 }, rng: 0 };
    let resumedOptimizer: OptimizerState | undefined;
    if (resumed) {
      await loadWeights(program, runDir);
      state = { ...resumed.state, seedOverride };
      if (state.seed !== seed) throw new TrainingError(`cannot resume: the run used seed ${state.seed}, not ${seed} (resume with --seed ${state.seed}, or start a new run)`);
      const current = stages[state.stage];
      if (current === undefined || state.stageName !== current.name) {
        throw new TrainingError(`cannot resume: the run stopped in stage '${state.stageName}', which this model does not have at position ${state.stage + 1}`);
      }
      if (state.stoppedEarly || state.epoch >= current.epochs) {
        state = { ...state, stage: state.stage + 1, epoch: 0, stoppedEarly: false, earlyStop: { best: null, wait: 0 } };
      } else {
        resumedOptimizer = resumed.optimizer;
      }
      metrics.push(...(await resumeMetrics(runDir)));
    } else {
      await writeJsonAtomic(join(runDir, IR_FILE), ir);
    }

    for (let index = state.stage; index < stages.length; index++) {
      const stage = stages[index]!;
      const phaseSeed = seedOverride ?? stage.phase.seed;
      const batch = options.batch ?? stage.phase.batch;
      const dataset = options.dataset ?? (await load(options.data ?? stage.phase.data ?? missingData(stage)));
      const validation = options.validation ?? (stage.phase.validate ? await load(stage.phase.validate) : undefined);
      if (stage.trainable.length === 0) throw new TrainingError(`stage '${stage.name}' has no trainable parameters (everything is frozen)`);
      const decayed = new Set(stage.trainable.filter((id) => ['kernel', 'codebook'].includes(program.parameters.parameter(id).role)));
      const optimizer = createOptimizer(stage.phase.optimizer, decayed);
      const resuming = index === state.stage && options.resume === true;
      if (resuming && resumedOptimizer) optimizer.load(resumedOptimizer, program.variables);
      const epochStart = resuming ? state.epoch : 0;
      let early = resuming ? state.earlyStop : { best: null as number | null, wait: 0 };
      let step = state.step;
      try {
        for (let epoch = epochStart; epoch < stage.epochs; epoch++) {
          const epochStarted = performance.now();
          const rng = new Rng(deriveSeed(phaseSeed, index, epoch));
          const order = rng.permutation(dataset.count);
          const starts = batchStarts(dataset.count, batch);
          progress.startEpoch(stage.name, epoch + 1, stage.epochs, starts.length);
          let lossSum = 0;
          const termSums = new Map<string, number>();
          for (let b = 0; b < starts.length; b++) {
            const size = Math.min(batch, dataset.count - starts[b]!);
            const result = tidyValue(() => {
              const batchTensors = batchInputs(dataset, inputs, order, starts[b]!, size);
              const given = stage.greedy ? codeFor(program, batchTensors, stage.greedy) : undefined;
              return trainStep({
                program,
                objective: stage.objective,
                optimizer,
                trainable: stage.trainable,
                inputs: batchTensors,
                rng,
                ...(stage.greedy ? { nodes: stage.greedy.nodes, rename: stage.greedy.rename } : {}),
                ...(given ? { given } : {}),
              });
            });
            if (result.nonFinite) {
              // The bad step was not applied: the weights in memory are the last good ones.
              await saveCheckpoint(runDir, program, optimizer, { stage: index, stageName: stage.name, epoch, step, seed, seedOverride, stoppedEarly: false, earlyStop: early, rng: rng.getState() });
              throw new NonFiniteLossError(stage.name, epoch + 1, step + 1, result.nonFinite.term, result.nonFinite.value);
            }
            step += 1;
            lossSum += result.loss * size;
            for (const [name, value] of Object.entries(result.terms)) termSums.set(name, (termSums.get(name) ?? 0) + value * size);
            progress.batch(b + 1, result.loss);
          }
          const seconds = (performance.now() - epochStarted) / 1000;
          trainedSamples += dataset.count;
          trainingSeconds += seconds;
          const loss = lossSum / dataset.count;
          const valLoss = validation ? averageLoss(program, validation, inputs, { objective: stage.objective, batch, ...(stage.greedy ? { greedy: stage.greedy } : {}) }).loss : undefined;
          const metricsData = validation ?? { ...dataset, name: `${dataset.name}[:${EPOCH_METRICS_SAMPLES}]`, count: Math.min(dataset.count, EPOCH_METRICS_SAMPLES) };
          const figures = stage.greedy ? undefined : { data: metricsData.name, ...modelMetrics(program, metricsData, stage.objective, { batch }) };
          const line: MetricsLine = {
            phase: stage.name,
            epoch: epoch + 1,
            step,
            loss,
            terms: Object.fromEntries([...termSums].map(([name, sum]) => [name, sum / dataset.count])),
            val_loss: valLoss ?? null,
            seconds,
            ...(figures && Object.keys(figures).length > 1 ? { metrics: figures } : {}),
          };
          metrics.push(line);
          await appendJsonLine(join(runDir, METRICS_FILE), line);
          progress.endEpoch({ loss, seconds, samples: dataset.count, ...(valLoss !== undefined ? { valLoss } : {}), figures: figures ? formatModelMetrics(figures, formatLoss) : [] });
          early = nextEarlyStop(early, valLoss ?? loss, stage.phase.earlyStop?.minDelta ?? 0);
          const stop = stage.phase.earlyStop !== undefined && early.wait >= stage.phase.earlyStop.patience;
          await saveCheckpoint(runDir, program, optimizer, { stage: index, stageName: stage.name, epoch: epoch + 1, step, seed, seedOverride, stoppedEarly: stop, earlyStop: early, rng: rng.getState() });
          if (stop) {
            stoppedEarly.push(stage.name);
            break;
          }
        }
      } finally {
        optimizer.dispose();
      }
      state = { ...state, step, stage: index + 1, epoch: 0 };
    }
    const totalSeconds = (performance.now() - started) / 1000;
    const samplesPerSecond = trainingSeconds > 0 ? trainedSamples / trainingSeconds : 0;
    await writeRunSummary(runDir, {
      model: ir.model,
      backend: options.backend ?? tf.getBackend(),
      seed,
      data: options.data ?? null,
      overrides: options.overrides ?? {},
      timings: { seconds: totalSeconds, trainingSeconds, samplesPerSecond },
      steps: state.step,
      resumed: options.resume === true,
      stoppedEarly,
    });
    return { program, metrics, steps: state.step, samplesPerSecond, stoppedEarly };
  } catch (error) {
    program.dispose();
    throw error;
  }
}

function missingData(stage: Stage): never {
  throw new TrainingError(`phase '${stage.phase.name}' has no data: pass --data or set data = ... in its train block`);
}

function nextEarlyStop(early: { best: number | null; wait: number }, monitored: number, minDelta: number): { best: number | null; wait: number } {
  if (early.best === null || monitored < early.best - minDelta) return { best: monitored, wait: 0 };
  return { best: early.best, wait: early.wait + 1 };
}

/**
 * The metrics of the run being resumed. A crash can leave a torn last line; the file is rewritten
 * without it, since the lines appended next would otherwise follow it and break the file. A missing
 * file is an empty history; any other problem is an error, not a silently lost history.
 */
async function resumeMetrics(dir: string): Promise<MetricsLine[]> {
  const path = join(dir, METRICS_FILE);
  if (!existsSync(path)) return [];
  const lines = await readJsonLines<MetricsLine>(path);
  await writeFileAtomic(path, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  return lines;
}

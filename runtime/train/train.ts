// A training run: reads the data, plans the stages (phases; greedy layers expanded), picks up where a
// resumed run stopped, and runs the loop (loop.ts) with its callbacks: the loss guard (non-finite or
// exploding losses), metrics as JSON lines, progress, early stopping, the learning-rate schedule and
// a checkpoint at the end of every epoch.
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { DataSource, IRModel } from '../../ir/types.js';
import { closeDataset, loadDataset, TABLE_ENCODING_FILE, type Dataset } from '../data/index.js';
import { buildProgram, type InferenceDelegate, type Program } from '../program/program.js';
import { SERIES_FILE, type SeriesWindows } from '../data/windows.js';
import { CheckpointError, nodeRunFiles, readJsonLines, removeTemporaryFiles, writeFileAtomic, writeJsonAtomic, type RunFiles } from '../runs/index.js';
import { restoreCodebookStates } from '../program/ops/vq-codebook.js';
import { modelInputs } from './batches.js';
import { unrolledRefusal } from './unrolled-memory.js';
import type { Callback } from './callbacks/callback.js';
import { Checkpointer } from './callbacks/checkpointer.js';
import { EarlyStopping } from './callbacks/early-stopping.js';
import { EpochTiming } from './callbacks/epoch-timing.js';
import { LrScheduler } from './callbacks/lr-scheduler.js';
import { METRICS_FILE, MetricsLog, type MetricsLine } from './callbacks/metrics-log.js';
import { ModelFigures } from './callbacks/model-figures.js';
import { LossGuard } from './callbacks/loss-guard.js';
import { ProgressReport } from './callbacks/progress-report.js';
import { hyperparameters, UserCallbacks, type TrainCallbacks } from './callbacks/user-callbacks.js';
import type { ProgressSink } from './progress.js';
import { assignWeights, CHECKPOINT_DIR, loadCheckpoint, recoverCheckpoint, STATE_FILE, WEIGHTS_FILE, type Checkpoint } from './checkpoint.js';
import type { StageEngineFactory } from './engine.js';
import { TrainingError } from './errors.js';
import { runLoop, type LoopStart } from './loop.js';
import { overridesOf, recordedOverrides, resumedOverrides, writeRunStart, type Overrides } from './overrides.js';
import { writeRunSummary } from './run-summary.js';
import { planStages, type Stage } from './stages.js';

export { METRICS_FILE, type MetricsLine };
export const IR_FILE = 'model.ir.json';

export interface TrainOptions extends Overrides {
  ir: IRModel;
  /** The run directory (created by the caller); everything is written here. */
  runDir: string;
  cwd: string;
  /** Data already loaded (tests), for every phase: training and validation. */
  dataset?: Dataset;
  validation?: Dataset;
  /** Continue the run in runDir from its last checkpoint, with the overrides run.json recorded. */
  resume?: boolean;
  /** Where the run's files are written (tests inject faults here). */
  files?: RunFiles;
  /** Runs the steps of every stage instead of the tfjs program (the onnx engine); absent: tfjs. */
  engine?: StageEngineFactory;
  /** Runs the inference passes (validation, the final evaluation, the figures) instead of the
   *  tfjs program (the onnx engine); absent: tfjs. */
  inference?: (program: Program) => InferenceDelegate;
  /** The backend's name for run.json (the caller selects it). */
  backend?: string;
  progress?: ProgressSink;
  /** Stream data files batch by batch (true) or hold them (false); by default files larger than
   *  STREAM_ABOVE_BYTES are streamed. Either way training sees the same numbers, so this is not an
   *  override recorded in run.json. */
  stream?: boolean;
  /** The caller's callbacks (onTrainBegin, onStageBegin, onStepEnd, onEpochEnd, onTrainEnd), called
   *  in order after the run's own; experiment logs (runtime/logs/) are such callbacks. */
  callbacks?: readonly TrainCallbacks[];
}

export interface TrainResult {
  program: Program;
  metrics: MetricsLine[];
  steps: number;
  samplesPerSecond: number;
  stoppedEarly: string[];
  /** The command-line overrides the run trained with (a resumed run's recorded ones). */
  overrides: Overrides;
}

/** Loads each data source once per run (phases often share one); close() releases the files of
 *  those streamed (runtime/data/samples.ts). */
function datasetLoader(
  inputs: ReturnType<typeof modelInputs>,
  cwd: string,
  overrides: Overrides,
  stream: boolean | undefined,
  tableFittedOn: DataSource | string | undefined,
): { load: (source: DataSource | string) => Promise<Dataset>; close: () => Promise<void>; series: () => SeriesWindows | undefined } {
  const cache = new Map<string, Promise<Dataset>>();
  // Windows of a series are standardised with the first series read (the first phase's training
  // data, read first): its validation data and later phases' data use the same scale.
  let series: SeriesWindows | undefined;
  const load = (source: DataSource | string): Promise<Dataset> => {
    const key = JSON.stringify(source);
    if (!cache.has(key)) {
      // A table's other data sets are encoded as its training data was (statistics, levels).
      const fitted = inputs.data.kind === 'table' && tableFittedOn !== undefined && key !== JSON.stringify(tableFittedOn) ? load(tableFittedOn) : undefined;
      const options = {
        cwd,
        ...(overrides.limit ? { limit: overrides.limit } : {}),
        ...(inputs.labels ? { labelsInput: inputs.labels } : {}),
        ...(stream !== undefined ? { stream } : {}),
        ...(series ? { series } : {}),
      };
      const loading = (
        fitted
          ? fitted.then((training) => loadDataset(source, inputs.data, { ...options, ...(training.table ? { tableEncoding: training.table } : {}) }))
          : loadDataset(source, inputs.data, options)
      ).then((dataset) => {
        series ??= dataset.series;
        return dataset;
      });
      cache.set(key, loading);
    }
    return cache.get(key)!;
  };
  const close = async (): Promise<void> => {
    for (const result of await Promise.allSettled(cache.values())) if (result.status === 'fulfilled') closeDataset(result.value);
  };
  return { load, close, series: () => series };
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const { ir, runDir } = options;
  const files = options.files ?? nodeRunFiles;
  let overrides = overridesOf(options);
  let checkpoint: Checkpoint | undefined;
  await removeTemporaryFiles(runDir, files);
  if (options.resume) {
    await recoverCheckpoint(runDir, files);
    const recorded = await recordedOverrides(runDir, files);
    if (recorded) overrides = resumedOverrides(recorded, overrides);
    checkpoint = await loadCheckpoint(runDir, files);
    // Before checkpoints were one directory, state.json and the weights lay in the run directory.
    if (!checkpoint && files.exists(join(runDir, STATE_FILE))) {
      throw new TrainingError(`cannot resume ${runDir}: its checkpoint is in the format of an earlier aelang (state.json beside the weights); start a new run`);
    }
  }
  const stages = planStages(ir, overrides.epochs);
  // A recurrent layer unrolled over more steps than the heap holds aborted Node mid-run: refused
  // here, before a file is written or a weight is made.
  for (const stage of stages) {
    const refusal = unrolledRefusal(ir, overrides.batch ?? stage.phase.batch);
    if (refusal) throw new TrainingError(refusal);
  }
  const seed = overrides.seed ?? ir.phases[0]!.seed;
  const inputs = modelInputs(ir);
  const program = buildProgram(ir, { seed });
  if (options.inference) program.delegateInference(options.inference(program));
  const started = performance.now();
  const datasets = datasetLoader(inputs, options.cwd, overrides, options.stream, overrides.data ?? stages[0]!.phase.data);
  try {
    // Every stage's data is read and checked before anything is written or trained: a file that does
    // not fit the input fails now, leaving no half-made run, not after an earlier phase has trained.
    const load = datasets.load;
    const dataOf = async (stage: Stage) => {
      const dataset = options.dataset ?? (await load(overrides.data ?? stage.phase.data ?? missingData(stage)));
      const validation = options.validation ?? (stage.phase.validate ? await load(stage.phase.validate) : undefined);
      return { dataset, ...(validation ? { validation } : {}) };
    };
    for (const stage of stages) await dataOf(stage);

    const progress = options.progress ?? { stderr: () => {}, isTTY: false };
    const metrics = new MetricsLog(runDir, files);
    const earlyStopping = new EarlyStopping(progress.stderr);
    const timing = new EpochTiming();
    const lossGuard = new LossGuard((context) => checkpointer.save(context, { epochDone: false }));
    const lrScheduler = new LrScheduler();
    const stateful: Callback[] = [lossGuard, earlyStopping, lrScheduler];
    const checkpointer = new Checkpointer(runDir, { seed, seedOverride: overrides.seed ?? null }, stateful, () => metrics.lines.length, files);
    const user = options.callbacks ?? [];
    const callbacks: Callback[] = [lossGuard, timing, new ModelFigures(), metrics, new ProgressReport(progress), earlyStopping, lrScheduler, checkpointer];
    if (user.length > 0) callbacks.push(new UserCallbacks(user, metrics.lines));
    let start: LoopStart = { stage: 0, epoch: 0, step: 0 };
    if (checkpoint) {
      assignWeights(program, checkpoint.weights, join(runDir, CHECKPOINT_DIR, WEIGHTS_FILE));
      restoreCodebookStates(program.variables, checkpoint.state.codebooks, (what) => {
        throw new CheckpointError(`${join(runDir, CHECKPOINT_DIR, STATE_FILE)}: ${what}; the checkpoint cannot be resumed`);
      });
      start = resumePoint(checkpoint, stages, seed, stateful);
      metrics.lines.push(...(await resumeMetrics(runDir, checkpoint.state.metricsLines, files)));
    } else {
      // A new run, or one killed before its first checkpoint, which starts again from the beginning.
      await writeRunStart(runDir, { model: ir.model, backend: options.backend ?? tf.getBackend(), overrides }, files);
      await writeJsonAtomic(join(runDir, IR_FILE), ir, files);
      const series = datasets.series();
      if (series) await writeJsonAtomic(join(runDir, SERIES_FILE), series, files);
      // A table's encoding, fitted on the training data, is what every later use reads rows with.
      const table = (await dataOf(stages[0]!)).dataset.table;
      if (table) await writeJsonAtomic(join(runDir, TABLE_ENCODING_FILE), table, files);
      if (files.exists(join(runDir, METRICS_FILE))) await writeFileAtomic(join(runDir, METRICS_FILE), '', files);
    }
    const begin = { model: ir.model, runDir, hyperparameters: hyperparameters(ir, { ...overrides }), stages: stages.map((s) => ({ name: s.name, epochs: s.epochs })), step: start.step };
    for (const c of user) await c.onTrainBegin?.(begin);
    const steps = await runLoop(
      {
        program,
        stages,
        inputs,
        seedOf: (stage) => overrides.seed ?? stage.phase.seed,
        batchOf: (stage) => overrides.batch ?? stage.phase.batch,
        dataOf,
        callbacks,
        ...(options.engine ? { engine: options.engine } : {}),
      },
      start,
    );
    for (const c of user) await c.onTrainEnd?.({ steps, metrics: [...metrics.lines] });
    const totalSeconds = (performance.now() - started) / 1000;
    await writeRunSummary(
      runDir,
      {
        model: ir.model,
        backend: options.backend ?? tf.getBackend(),
        seed,
        data: overrides.data ?? null,
        overrides,
        timings: { seconds: totalSeconds, trainingSeconds: timing.seconds, samplesPerSecond: timing.samplesPerSecond },
        steps,
        resumed: options.resume === true,
        stoppedEarly: earlyStopping.stopped,
      },
      files,
    );
    return { program, metrics: metrics.lines, steps, samplesPerSecond: timing.samplesPerSecond, stoppedEarly: earlyStopping.stopped, overrides };
  } catch (error) {
    program.dispose();
    throw error;
  } finally {
    await datasets.close();
  }
}

/** Where a resumed run continues: the stage and epoch after its checkpoint, with the callbacks' state. */
function resumePoint(checkpoint: Checkpoint, stages: readonly Stage[], seed: number, stateful: readonly Callback[]): LoopStart {
  const { state } = checkpoint;
  if (state.seed !== seed) throw new TrainingError(`cannot resume: the run used seed ${state.seed}, not ${seed} (resume with --seed ${state.seed}, or start a new run)`);
  const current = stages[state.stage];
  if (current === undefined || state.stageName !== current.name) {
    throw new TrainingError(`cannot resume: the run stopped in stage '${state.stageName}', which this model does not have at position ${state.stage + 1}`);
  }
  if (state.epoch > current.epochs) {
    throw new TrainingError(`cannot resume: the checkpoint says ${state.epoch} epochs of stage '${state.stageName}' ran, but it has ${current.epochs}`);
  }
  if (state.stoppedEarly || state.epoch >= current.epochs) return { stage: state.stage + 1, epoch: 0, step: state.step };
  for (const callback of stateful) {
    const key = callback.stateKey!;
    callback.restore?.(state[key]);
    const prefix = `${key}/`;
    const tensors = Object.entries(checkpoint.callbacks).filter(([name]) => name.startsWith(prefix));
    callback.restoreTensors?.(Object.fromEntries(tensors.map(([name, t]) => [name.slice(prefix.length), t])));
  }
  return { stage: state.stage, epoch: state.epoch, step: state.step, optimizer: checkpoint.optimizer };
}

function missingData(stage: Stage): never {
  throw new TrainingError(`phase '${stage.phase.name}' has no data: set data = ... in its train block, or give train() a data source (options.data, e.g. 'npy:x.npy') or a loaded options.dataset`, 'NO_DATA');
}

/**
 * The metrics of the run being resumed: the lines its checkpoint counted. Lines written after it
 * (an epoch that ended but was not checkpointed before a kill, or a torn line) are dropped, so each
 * epoch appears once when it is trained again.
 */
async function resumeMetrics(dir: string, count: number, files: RunFiles): Promise<MetricsLine[]> {
  const path = join(dir, METRICS_FILE);
  const lines = files.exists(path) ? (await readJsonLines<MetricsLine>(path)).slice(0, count) : [];
  if (lines.length < count) throw new TrainingError(`cannot resume: ${path} holds ${lines.length} epochs, the checkpoint counts ${count}`);
  await writeFileAtomic(path, lines.map((line) => `${JSON.stringify(line)}\n`).join(''), files);
  return lines;
}

// A training run: reads the data, plans the stages (phases; greedy layers expanded), picks up where a
// resumed run stopped, and runs the loop (loop.ts) with its callbacks: the non-finite guard, metrics
// as JSON lines, progress, early stopping and a checkpoint at the end of every epoch.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { DataSource, IRModel, IRPhase } from '../../ir/types.js';
import { loadDataset, type Dataset } from '../data/index.js';
import type { OptimizerState } from '../optim/optimizer.js';
import { buildProgram, type Program } from '../program/program.js';
import { readJsonLines, writeFileAtomic, writeJsonAtomic } from '../runs/index.js';
import { modelInputs } from './batches.js';
import type { Callback } from './callbacks/callback.js';
import { Checkpointer } from './callbacks/checkpointer.js';
import { EarlyStopping } from './callbacks/early-stopping.js';
import { EpochTiming } from './callbacks/epoch-timing.js';
import { METRICS_FILE, MetricsLog, type MetricsLine } from './callbacks/metrics-log.js';
import { NonFiniteGuard } from './callbacks/non-finite-guard.js';
import { ProgressReport } from './callbacks/progress-report.js';
import type { ProgressSink } from './progress.js';
import { loadResumeState, loadWeights, type TrainState } from './checkpoint.js';
import { TrainingError } from './errors.js';
import { runLoop, type LoopStart } from './loop.js';
import { writeRunSummary } from './run-summary.js';
import { planStages, type Stage } from './stages.js';

export { METRICS_FILE, type MetricsLine };
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
  /** The backend's name for run.json (the caller selects it). */
  backend?: string;
  progress?: ProgressSink;
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
  const started = performance.now();
  try {
    const stages = planStages(ir, phases, program.parameters, options.epochs);
    // Every stage's data is read and checked before anything is written or trained: a file that does
    // not fit the input fails now, leaving no half-made run, not after an earlier phase has trained.
    const load = datasetLoader(inputs, options);
    const dataOf = async (stage: Stage) => {
      const dataset = options.dataset ?? (await load(options.data ?? stage.phase.data ?? missingData(stage)));
      const validation = options.validation ?? (stage.phase.validate ? await load(stage.phase.validate) : undefined);
      return { dataset, ...(validation ? { validation } : {}) };
    };
    for (const stage of stages) await dataOf(stage);

    const metrics = new MetricsLog(runDir);
    const earlyStopping = new EarlyStopping();
    const timing = new EpochTiming();
    const stateful = [earlyStopping];
    const checkpointer = new Checkpointer(runDir, { seed, seedOverride }, stateful);
    const callbacks: Callback[] = [
      new NonFiniteGuard(checkpointer),
      timing,
      metrics,
      new ProgressReport(options.progress ?? { stderr: () => {}, isTTY: false }),
      earlyStopping,
      checkpointer,
    ];
    let start: LoopStart = { stage: 0, epoch: 0, step: 0 };
    if (resumed) {
      await loadWeights(program, runDir);
      start = resumePoint(resumed, stages, seed, stateful);
      metrics.lines.push(...(await resumeMetrics(runDir)));
    } else {
      await writeJsonAtomic(join(runDir, IR_FILE), ir);
    }
    const steps = await runLoop(
      {
        program,
        stages,
        inputs,
        seedOf: (stage) => seedOverride ?? stage.phase.seed,
        batchOf: (stage) => options.batch ?? stage.phase.batch,
        dataOf,
        callbacks,
      },
      start,
    );
    const totalSeconds = (performance.now() - started) / 1000;
    await writeRunSummary(runDir, {
      model: ir.model,
      backend: options.backend ?? tf.getBackend(),
      seed,
      data: options.data ?? null,
      timings: { seconds: totalSeconds, trainingSeconds: timing.seconds, samplesPerSecond: timing.samplesPerSecond },
      steps,
      resumed: options.resume === true,
      stoppedEarly: earlyStopping.stopped,
    });
    return { program, metrics: metrics.lines, steps, samplesPerSecond: timing.samplesPerSecond, stoppedEarly: earlyStopping.stopped };
  } catch (error) {
    program.dispose();
    throw error;
  }
}

/** Where a resumed run continues: the stage and epoch after its checkpoint, with the callbacks' state. */
function resumePoint(resumed: { state: TrainState; optimizer: OptimizerState }, stages: readonly Stage[], seed: number, stateful: readonly Callback[]): LoopStart {
  const { state } = resumed;
  if (state.seed !== seed) throw new TrainingError(`cannot resume: the run used seed ${state.seed}, not ${seed} (resume with --seed ${state.seed}, or start a new run)`);
  const current = stages[state.stage];
  if (current === undefined || state.stageName !== current.name) {
    throw new TrainingError(`cannot resume: the run stopped in stage '${state.stageName}', which this model does not have at position ${state.stage + 1}`);
  }
  if (state.stoppedEarly || state.epoch >= current.epochs) return { stage: state.stage + 1, epoch: 0, step: state.step };
  for (const callback of stateful) callback.restore?.((state as unknown as Record<string, unknown>)[callback.stateKey!]);
  return { stage: state.stage, epoch: state.epoch, step: state.step, optimizer: resumed.optimizer };
}

function missingData(stage: Stage): never {
  throw new TrainingError(`phase '${stage.phase.name}' has no data: pass --data or set data = ... in its train block`);
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

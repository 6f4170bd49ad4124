// The training loop calls these hooks (as tfjs-layers' and Keras's callbacks do); everything a run
// does besides computing steps lives in one: metrics, checkpoints, early stopping, progress, the
// loss guard. A callback that has state a resumed run needs exposes it through `state` and
// takes it back through `restore`; the checkpoint stores it in state.json under the callback's key
// (and tensors, such as the best weights so far, through `tensors` and `restoreTensors`).
import type { Dataset } from '../../data/index.js';
import type { ModelMetrics } from '../model-metrics.js';
import type { TensorMap } from '../../runs/index.js';
import type { Optimizer } from '../../optim/optimizer.js';
import type { Program } from '../../program/program.js';
import type { Rng } from '../../program/rng.js';
import type { Stage } from '../stages.js';
import type { StepResult } from '../step.js';

/** What the loop is doing now; callbacks read it, and set `stopStage` to end the stage. */
export interface LoopContext {
  readonly program: Program;
  readonly stages: readonly Stage[];
  stageIndex: number;
  stage: Stage;
  /** The current epoch of the stage, 0-based. */
  epoch: number;
  /** Optimiser steps taken in the whole run. */
  step: number;
  /** The stage's optimiser (between onStageBegin and onStageEnd). */
  optimizer: Optimizer;
  /** The epoch's PRNG: shuffles and draws noise. */
  rng: Rng;
  dataset: Dataset;
  /** The stage's validation data, when it has any. */
  validation?: Dataset;
  batch: number;
  /** Set by a callback at the end of an epoch: the stage ends there (early stopping). */
  stopStage: boolean;
}

export interface BatchLogs {
  /** 1-based index of the batch in the epoch, and the epoch's number of batches. */
  index: number;
  batches: number;
  size: number;
  result: StepResult;
}

export interface EpochLogs {
  loss: number;
  terms: Record<string, number>;
  valLoss?: number;
  seconds: number;
  samples: number;
  /** What the stage monitors: the validation loss when it has validation data, else the loss. */
  monitored: number;
  /** The epoch's scheduled loss coefficients, by term name (absent when none is scheduled). */
  coefficients?: Record<string, number>;
  /** The family's figures (model-figures.ts), for the callbacks after that one. */
  figures?: EpochFigures;
}

export type EpochFigures = ModelMetrics & { data: string };

export interface Callback {
  /** The key of this callback's state in state.json (only for callbacks with state). */
  readonly stateKey?: string;
  state?(): unknown;
  /** Called before onStageBegin of the stage a resumed run continues, with what `state` returned. */
  restore?(state: unknown): void;
  tensors?(): Promise<TensorMap>;
  restoreTensors?(tensors: TensorMap): void;
  onStageBegin?(context: LoopContext): void | Promise<void>;
  onEpochBegin?(context: LoopContext, batches: number): void | Promise<void>;
  onBatchEnd?(context: LoopContext, logs: BatchLogs): void | Promise<void>;
  onEpochEnd?(context: LoopContext, logs: EpochLogs): void | Promise<void>;
  onStageEnd?(context: LoopContext): void | Promise<void>;
}

/** Runs a hook on every callback, in order (each may depend on the ones before it). */
export async function each(callbacks: readonly Callback[], hook: (callback: Callback) => void | Promise<void>): Promise<void> {
  for (const callback of callbacks) await hook(callback);
}

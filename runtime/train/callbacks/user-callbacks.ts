// The library's public callbacks (`train({ ..., callbacks: [...] })`): plain objects with any of
// onTrainBegin, onStageBegin, onStepEnd, onEpochEnd, onTrainEnd, given plain numbers (never tensors),
// awaited in order, after the run's own callbacks of the same hook. A callback that throws stops
// training with its error, as a failing checkpoint write would. The experiment logs (runtime/logs/)
// are callbacks of this kind.
import type { IRModel } from '../../../ir/types.js';
import type { Callback, EpochLogs, LoopContext, BatchLogs } from './callback.js';
import type { MetricsLine } from './metrics-log.js';

export interface TrainBeginInfo {
  model: string;
  runDir: string;
  /** The run's settings (optimizer, batch, epochs, seed, ... of each phase; the overrides), flat. */
  hyperparameters: Record<string, string | number | boolean>;
  stages: { name: string; epochs: number }[];
  /** Where a resumed run starts: steps already taken (0 for a new run). */
  step: number;
}

export interface StepInfo {
  phase: string;
  /** 1-based epoch of the stage, and 1-based batch of the epoch. */
  epoch: number;
  batch: number;
  batches: number;
  /** Optimiser steps taken in the whole run, this one included. */
  step: number;
  size: number;
  loss: number;
  terms: Record<string, number>;
}

export interface TrainEndInfo {
  steps: number;
  metrics: MetricsLine[];
}

export interface TrainCallbacks {
  onTrainBegin?(info: TrainBeginInfo): void | Promise<void>;
  onStageBegin?(stage: { name: string; index: number; epochs: number }): void | Promise<void>;
  onStepEnd?(step: StepInfo): void | Promise<void>;
  /** The epoch's line of metrics.jsonl: loss, terms, val_loss, lr, seconds, the family's figures. */
  onEpochEnd?(epoch: MetricsLine): void | Promise<void>;
  onTrainEnd?(info: TrainEndInfo): void | Promise<void>;
}

/** Adapts user callbacks to the loop's hooks; `lines` is the metrics log's, read after it wrote. */
export class UserCallbacks implements Callback {
  constructor(
    private readonly callbacks: readonly TrainCallbacks[],
    private readonly lines: readonly MetricsLine[],
  ) {}

  async onStageBegin(context: LoopContext): Promise<void> {
    for (const c of this.callbacks) await c.onStageBegin?.({ name: context.stage.name, index: context.stageIndex, epochs: context.stage.epochs });
  }

  async onBatchEnd(context: LoopContext, logs: BatchLogs): Promise<void> {
    if (logs.result.nonFinite) return;
    const step: StepInfo = {
      phase: context.stage.name,
      epoch: context.epoch + 1,
      batch: logs.index,
      batches: logs.batches,
      step: context.step,
      size: logs.size,
      loss: logs.result.loss,
      terms: { ...logs.result.terms },
    };
    for (const c of this.callbacks) await c.onStepEnd?.(step);
  }

  async onEpochEnd(_context: LoopContext, _logs: EpochLogs): Promise<void> {
    const line = this.lines[this.lines.length - 1];
    if (line) for (const c of this.callbacks) await c.onEpochEnd?.(line);
  }
}

/** Flat hyperparameters of a run: each phase's settings under `phase.key`, then the overrides. */
export function hyperparameters(ir: IRModel, overrides: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = { model: ir.model };
  const put = (key: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (typeof value === 'object') for (const [k, v] of Object.entries(value)) put(`${key}.${k}`, v);
    else out[key] = typeof value === 'number' || typeof value === 'boolean' ? value : String(value);
  };
  for (const phase of ir.phases) {
    const prefix = ir.phases.length > 1 ? `${phase.name}.` : '';
    put(`${prefix}optimizer`, phase.optimizer);
    put(`${prefix}epochs`, phase.epochs);
    put(`${prefix}batch`, phase.batch);
    put(`${prefix}seed`, phase.seed);
    if (phase.lrSchedule) put(`${prefix}lr_schedule`, phase.lrSchedule);
    if (phase.data) put(`${prefix}data`, phase.data);
  }
  for (const [key, value] of Object.entries(overrides)) put(`override.${key}`, value);
  return out;
}

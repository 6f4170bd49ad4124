// `early_stop(patience, min_delta, restore_best)`: ends a stage when the monitored loss (validation
// loss, else training loss) has not improved by more than min_delta for `patience` epochs. With
// `restoreBest` (the default, as Keras's `restore_best_weights`) the stage ends, stopped or not,
// with the weights of its best epoch; they are copied back before that epoch's checkpoint is written,
// so a resumed run and the tasks that open the run see them too.
import * as tf from '@tensorflow/tfjs-core';
import type { TensorMap } from '../../runs/index.js';
import type { Program } from '../../program/program.js';
import { formatLoss } from '../progress.js';
import type { Callback, EpochLogs, LoopContext } from './callback.js';

export interface EarlyStopState {
  best: number | null;
  wait: number;
  /** The 1-based epoch of `best`, whose weights are kept for restoreBest. */
  bestEpoch?: number;
}

export class EarlyStopping implements Callback {
  readonly stateKey = 'earlyStop';
  private current: EarlyStopState = { best: null, wait: 0 };
  private restored: EarlyStopState | undefined;
  /** The weights at the best epoch (by parameter id), when the stage restores them. */
  private bestWeights = new Map<string, tf.Tensor>();
  /** Stages that ended early, by name. */
  readonly stopped: string[] = [];

  constructor(private readonly log: (line: string) => void = () => {}) {}

  state(): EarlyStopState {
    return this.current;
  }

  restore(state: unknown): void {
    this.restored = state as EarlyStopState;
  }

  async tensors(): Promise<TensorMap> {
    const out: TensorMap = {};
    for (const [id, t] of this.bestWeights) out[id] = { dtype: 'F32', shape: [...t.shape], data: (await t.data()) as Float32Array };
    return out;
  }

  restoreTensors(tensors: TensorMap): void {
    this.dispose();
    for (const [id, t] of Object.entries(tensors)) this.bestWeights.set(id, tf.tensor(t.data as Float32Array, t.shape, 'float32'));
  }

  onStageBegin(): void {
    this.current = this.restored ?? { best: null, wait: 0 };
    if (this.restored === undefined) this.dispose();
    this.restored = undefined;
  }

  onEpochEnd(context: LoopContext, logs: EpochLogs): void {
    const settings = context.stage.phase.earlyStop;
    const { best, wait } = this.current;
    const minDelta = settings?.minDelta ?? 0;
    const improved = best === null || logs.monitored < best - minDelta;
    this.current = improved ? { best: logs.monitored, wait: 0, bestEpoch: context.epoch + 1 } : { ...this.current, wait: wait + 1 };
    if (!settings) return;
    if (settings.restoreBest && improved) this.keep(context.program);
    if (this.current.wait >= settings.patience) {
      context.stopStage = true;
      this.stopped.push(context.stage.name);
    }
    const last = context.stopStage || context.epoch + 1 >= context.stage.epochs;
    if (last && settings.restoreBest && !improved && this.bestWeights.size > 0) {
      for (const [id, value] of this.bestWeights) context.program.variables.get(id)!.assign(value);
      this.log(`${context.stage.name}: restored the weights of epoch ${this.current.bestEpoch} (monitored loss ${formatLoss(this.current.best!)})\n`);
    }
    if (last) this.dispose();
  }

  onStageEnd(): void {
    this.dispose();
  }

  private keep(program: Program): void {
    this.dispose();
    for (const p of program.parameters.stored()) this.bestWeights.set(p.id, tf.clone(program.variables.get(p.id)!));
  }

  private dispose(): void {
    for (const t of this.bestWeights.values()) t.dispose();
    this.bestWeights.clear();
  }
}

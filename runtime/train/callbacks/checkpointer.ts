// A checkpoint at the end of every epoch: the weights, the optimiser's state and where training
// stands (with the state of every callback that has one), so --resume continues exactly.
import { saveCheckpoint, type TrainState } from '../checkpoint.js';
import type { Callback, LoopContext } from './callback.js';

export class Checkpointer implements Callback {
  private readonly stateful: Callback[];

  constructor(
    private readonly runDir: string,
    private readonly seeds: { seed: number; seedOverride: number | null },
    callbacks: readonly Callback[],
  ) {
    this.stateful = callbacks.filter((c) => c.stateKey !== undefined && c.state !== undefined);
  }

  /** `epochDone`: the epoch completed (else the run stopped inside it, and resumes at its start). */
  async save(context: LoopContext, options: { epochDone: boolean }): Promise<void> {
    const state: TrainState = {
      stage: context.stageIndex,
      stageName: context.stage.name,
      epoch: context.epoch + (options.epochDone ? 1 : 0),
      step: context.step,
      ...this.seeds,
      stoppedEarly: options.epochDone && context.stopStage,
      rng: context.rng.getState(),
      ...Object.fromEntries(this.stateful.map((c) => [c.stateKey!, c.state!()])),
    } as TrainState;
    await saveCheckpoint(this.runDir, context.program, context.optimizer, state);
  }

  async onEpochEnd(context: LoopContext): Promise<void> {
    await this.save(context, { epochDone: true });
  }
}

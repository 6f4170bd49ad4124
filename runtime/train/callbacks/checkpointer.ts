// A checkpoint at the end of every epoch: the weights, the optimiser's state and where training
// stands (with the state of every callback that has one), so --resume continues exactly.
import { codebookStates } from '../../program/ops/vq-codebook.js';
import { nodeRunFiles, type RunFiles, type TensorMap } from '../../runs/index.js';
import { saveCheckpoint, type TrainState } from '../checkpoint.js';
import type { Callback, LoopContext } from './callback.js';

export class Checkpointer implements Callback {
  private readonly stateful: Callback[];

  constructor(
    private readonly runDir: string,
    private readonly seeds: { seed: number; seedOverride: number | null },
    callbacks: readonly Callback[],
    private readonly metricsLines: () => number,
    private readonly files: RunFiles = nodeRunFiles,
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
      metricsLines: this.metricsLines(),
      ...Object.fromEntries(this.stateful.map((c) => [c.stateKey!, c.state!()])),
    };
    // vq codebooks' usage counts (vq-codebook.ts): a resumed run restarts the codes this one would
    const codebooks = codebookStates(context.program.variables);
    if (Object.keys(codebooks).length > 0) state.codebooks = codebooks;
    const callbacks: TensorMap = {};
    for (const callback of this.stateful) {
      for (const [name, t] of Object.entries((await callback.tensors?.()) ?? {})) callbacks[`${callback.stateKey}/${name}`] = t;
    }
    await saveCheckpoint(this.runDir, { program: context.program, optimizer: context.optimizer, state, callbacks }, this.files);
  }

  async onEpochEnd(context: LoopContext): Promise<void> {
    await this.save(context, { epochDone: true });
  }
}

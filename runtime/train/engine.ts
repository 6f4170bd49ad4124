// A training engine other than the tfjs program: it runs a stage's steps itself (ONNX Runtime's,
// runtime/engines/onnx/) and writes its weights into the program's variables when the loop needs
// them there (validation, checkpoints, a refused step, the end of the stage). Everything else a
// run does (data, shuffles, noise seeds, callbacks) is the loop's, the same for every engine.
import type { IRTerm } from '../../ir/types.js';
import type { Dataset } from '../data/index.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Program } from '../program/program.js';
import type { Rng } from '../program/rng.js';
import type { Stage } from './stages.js';
import type { StepResult } from './step.js';

export interface StageEngine {
  /** The stage's optimiser (step count, rate, slots for checkpoints); its update runs in the engine. */
  readonly optimizer: Optimizer;
  /** One step on samples `order[start .. start + size)`, drawing its noise from `rng`, with the
   *  epoch's objective (the stage's, its scheduled coefficients at this epoch's values). */
  step(dataset: Dataset, order: Int32Array | null, start: number, size: number, rng: Rng, objective: readonly IRTerm[]): Promise<StepResult>;
  /** Writes the engine's weights into the program's variables. */
  sync(): void;
  dispose(): Promise<void>;
}

export type StageEngineFactory = (stage: Stage, program: Program) => Promise<StageEngine>;

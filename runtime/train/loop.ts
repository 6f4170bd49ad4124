// The loop itself: stages in order, epochs, shuffled batches from the seeded PRNG, one optimiser step
// per batch, validation at the end of every epoch. Everything else a run does happens in callbacks.
import type { Dataset } from '../data/index.js';
import type { IRModel, IRTerm } from '../../ir/types.js';
import { createOptimizer, type OptimizerState } from '../optim/optimizer.js';
import type { Program } from '../program/program.js';
import { tidyValue } from '../program/gradient.js';
import { deriveSeed, Rng } from '../program/rng.js';
import { batchInputs, batchStarts, type ModelInputs } from './batches.js';
import { each, type Callback, type EpochLogs, type LoopContext } from './callbacks/callback.js';
import { TrainingError } from './errors.js';
import type { StageEngine, StageEngineFactory } from './engine.js';
import type { Stage } from './stages.js';
import { trainStep } from './step.js';
import { averageLoss, codeFor } from './validate.js';
import { objectiveAtEpoch } from '../../ir/schedule.js';
import { termNames } from '../objective/objective.js';

export interface LoopSetup {
  program: Program;
  stages: readonly Stage[];
  inputs: ModelInputs;
  /** The seed of each stage's shuffles and noise (a --seed replaces every phase's). */
  seedOf: (stage: Stage) => number;
  batchOf: (stage: Stage) => number;
  dataOf: (stage: Stage) => Promise<{ dataset: Dataset; validation?: Dataset }>;
  callbacks: readonly Callback[];
  /** Runs each stage's steps instead of the tfjs program (the onnx engine); absent: tfjs. */
  engine?: StageEngineFactory;
}

/** Where the loop starts: a fresh run at stage 0, or a resumed run with its optimiser state. */
export interface LoopStart {
  stage: number;
  epoch: number;
  step: number;
  optimizer?: OptimizerState;
}

/** Runs the stages from `start`; returns the steps taken in the whole run. */
export async function runLoop(setup: LoopSetup, start: LoopStart): Promise<number> {
  const { program, stages, callbacks } = setup;
  let step = start.step;
  for (let index = start.stage; index < stages.length; index++) {
    const stage = stages[index]!;
    const { dataset, validation } = await setup.dataOf(stage);
    if (stage.trainable.length === 0) throw new TrainingError(`stage '${stage.name}' has no trainable parameters (everything is frozen)`);
    // the update as the plan writes it: its optimiser, and the parameters weight decay applies to
    const engine = setup.engine ? await setup.engine(stage, program) : undefined;
    const optimizer = engine?.optimizer ?? createOptimizer(stage.update.optimizer, new Set(stage.update.decayed));
    const resuming = index === start.stage;
    if (resuming && start.optimizer) optimizer.load(start.optimizer, program.variables);
    const context: LoopContext = {
      program,
      stages,
      stageIndex: index,
      stage,
      epoch: resuming ? start.epoch : 0,
      step,
      optimizer,
      rng: new Rng(0),
      dataset,
      ...(validation ? { validation } : {}),
      batch: setup.batchOf(stage),
      stopStage: false,
    };
    try {
      await each(callbacks, (c) => c.onStageBegin?.(context));
      for (; context.epoch < stage.epochs && !context.stopStage; context.epoch++) {
        await runEpoch(setup, context, validation, engine);
      }
      await each(callbacks, (c) => c.onStageEnd?.(context));
    } finally {
      optimizer.dispose();
      await engine?.dispose();
    }
    step = context.step;
  }
  return step;
}

async function runEpoch(setup: LoopSetup, context: LoopContext, validation: Dataset | undefined, engine: StageEngine | undefined): Promise<void> {
  const { program, callbacks, inputs } = setup;
  const { stage, dataset, batch } = context;
  const started = performance.now();
  context.rng = new Rng(deriveSeed(setup.seedOf(stage), context.stageIndex, context.epoch));
  const order = context.rng.permutation(dataset.count);
  const starts = batchStarts(dataset.count, batch);
  await each(callbacks, (c) => c.onEpochBegin?.(context, starts.length));
  let lossSum = 0;
  const termSums = new Map<string, number>();
  // Scheduled coefficients (`ramp(0, 1, epochs = 10) * kl(z)`) take this epoch's value for the
  // whole epoch, training and validation alike.
  const objective = objectiveAtEpoch(stage.objective, context.epoch);
  for (let b = 0; b < starts.length; b++) {
    const size = Math.min(batch, dataset.count - starts[b]!);
    const result = engine ? await engine.step(dataset, order, starts[b]!, size, context.rng, objective) : tidyValue(() => {
      const batchTensors = batchInputs(dataset, inputs, order, starts[b]!, size);
      const given = stage.greedy ? codeFor(program, batchTensors, stage.greedy) : undefined;
      return trainStep({
        program,
        objective,
        optimizer: context.optimizer,
        trainable: stage.trainable,
        inputs: batchTensors,
        rng: context.rng,
        noise: stage.noise,
        codebooks: stage.codebooks,
        ...(stage.greedy ? { nodes: stage.greedy.nodes, rename: stage.greedy.rename } : {}),
        ...(given ? { given } : {}),
      });
    });
    // A refused step's callbacks (the loss guard's checkpoint) read the weights from the program.
    if (engine && result.nonFinite) engine.sync();
    if (!result.nonFinite) {
      context.step += 1;
      lossSum += result.loss * size;
      for (const [name, value] of Object.entries(result.terms)) termSums.set(name, (termSums.get(name) ?? 0) + value * size);
    }
    await each(callbacks, (c) => c.onBatchEnd?.(context, { index: b + 1, batches: starts.length, size, result }));
  }
  engine?.sync();
  const seconds = (performance.now() - started) / 1000;
  const loss = lossSum / dataset.count;
  const valLoss = validation
    ? averageLoss(program, validation, inputs, { objective, batch, ...(stage.greedy ? { greedy: stage.greedy } : {}) }).loss
    : undefined;
  const terms = Object.fromEntries([...termSums].map(([name, sum]) => [name, sum / dataset.count]));
  const coefficients = scheduledCoefficients(objective, program.ir);
  const logs: EpochLogs = {
    loss,
    terms,
    seconds,
    samples: dataset.count,
    monitored: valLoss ?? loss,
    ...(valLoss !== undefined ? { valLoss } : {}),
    ...(coefficients ? { coefficients } : {}),
  };
  await each(callbacks, (c) => c.onEpochEnd?.(context, logs));
}

/** The epoch's value of each scheduled coefficient, by the term's name in `terms`; undefined when
 *  no term is scheduled. */
function scheduledCoefficients(objective: readonly IRTerm[], ir: IRModel): Record<string, number> | undefined {
  const names = termNames(objective, ir);
  const scheduled = objective.flatMap((term, i) => (term.schedule ? [[names[i]!, term.weight] as const] : []));
  return scheduled.length > 0 ? Object.fromEntries(scheduled) : undefined;
}

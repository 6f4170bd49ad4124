// A run's stages are the training plan the compiler wrote into the IR (`plan`, read by ir/plan.ts):
// here each gets its phase and its epoch count. A hand-written IR whose plan cannot train, or
// names what the IR does not hold, is refused with the reason.
import type { IRModel, IRPhase } from '../../ir/types.js';
import { stagesOf, type GreedyPlan, type PlannedStage } from '../../ir/plan.js';
import { TrainingError } from './errors.js';

export type GreedyLayer = GreedyPlan;

/** One stage of a run: a planned stage (with its noise and optimiser update) with its phase and epoch count. */
export interface Stage extends PlannedStage {
  phase: IRPhase;
  epochs: number;
}

/** The stages of the IR's phases (the compiler emits at least one; the schema requires it). */
export function planStages(ir: IRModel, epochsOverride?: number): Stage[] {
  if (ir.phases.length === 0) throw new TrainingError('the IR has no training phase (an IR from `ae compile` always has one)');
  const plan = stagesOf(ir);
  if (!plan.ok) throw new TrainingError(plan.message);
  return plan.stages.map((stage) => {
    const phase = ir.phases[stage.phaseIndex]!;
    const epochs = epochsOverride ?? (stage.greedy && phase.schedule ? phase.schedule.epochs : phase.epochs);
    return { ...stage, phase, epochs };
  });
}

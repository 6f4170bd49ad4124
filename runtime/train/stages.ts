// A run's stages are the IR's training plan (ir/plan.ts), which the compiler has already checked:
// here each gets its phase and its epoch count. A hand-written IR whose plan cannot train is
// refused with the plan's reason.
import type { IRModel, IRPhase } from '../../ir/types.js';
import { planTraining, type GreedyPlan, type StagePlan } from '../../ir/plan.js';
import type { ParameterStore } from '../program/parameters.js';
import { TrainingError } from './errors.js';

export type GreedyLayer = GreedyPlan;

/** One stage of a run: a planned stage with its phase and epoch count. */
export interface Stage extends StagePlan {
  phase: IRPhase;
  epochs: number;
}

/** `_parameters` is no longer read (the plan comes from the IR alone); train() still passes it. */
export function planStages(ir: IRModel, phases: readonly IRPhase[], _parameters: ParameterStore, epochsOverride?: number): Stage[] {
  const plan = planTraining(ir, phases);
  if (!plan.ok) throw new TrainingError(plan.message);
  return plan.stages.map((stage) => {
    const phase = phases[stage.phaseIndex]!;
    const epochs = epochsOverride ?? (stage.greedy && phase.schedule ? phase.schedule.epochs : phase.epochs);
    return { ...stage, phase, epochs };
  });
}

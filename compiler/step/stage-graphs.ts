// Every training stage's step graph, as the written plan gives the stages (ir/plan.ts): what
// `ae compile --step-graph DIR` writes, one ONNX model per stage, and what the onnx engine runs.
import { stagesOf, type PlannedStage } from '../../ir/plan.js';
import type { IRModel } from '../../ir/types.js';
import { stageSpec, type StageGraph } from '../../onnx/stage-graph.js';
import { buildStageGraph } from './step-graph.js';

export interface WrittenStage {
  stage: PlannedStage;
  graph: StageGraph;
  /** A file name for the stage's model: its index and name, `1-pretrain-layer1.onnx`. */
  file: string;
}

/** Each stage's training-step graph, in plan order; throws the plan's refusal as it reads. */
export function stageGraphs(ir: IRModel): WrittenStage[] {
  const plan = stagesOf(ir);
  if (!plan.ok) throw new Error(plan.message);
  return plan.stages.map((stage, i) => ({
    stage,
    graph: buildStageGraph(stageSpec(ir, stage)),
    file: `${i}-${stage.name.replace(/[^A-Za-z0-9_]+/g, '-')}.onnx`,
  }));
}

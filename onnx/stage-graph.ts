// The training-step graph's contract between the compiler, which derives it (compiler/step/), and
// the onnx engine, which runs it (runtime/engines/onnx/): what a stage's graph is built from, and
// what comes back — the ONNX model with the names of the inputs to feed and the outputs to read.
// The runtime never builds one: the caller hands the engine the compiler's builder.
import type { IRModel, IRNode, IRParameter, IRTerm } from '../ir/types.js';
import type { IRNoise, NoiseDistribution } from '../ir/noise.js';
import type { PlannedStage } from '../ir/plan.js';
import type { Dim } from './autodiff/graph.js';

export const ONNX_OPSET = 17;

export interface StageGraphSpec {
  ir: IRModel;
  objective: readonly IRTerm[];
  /** Storage ids this stage updates. */
  trainable: readonly string[];
  /** The stage's nodes (default: all), in IR order. */
  nodes?: readonly IRNode[];
  /** A greedy layer: the nodes computing its input code, run in inference mode first. */
  prefix?: readonly IRNode[];
  rename?: ReadonlyMap<string, string>;
  /** The objective's value in inference mode only (validation, `ae eval`): no noise, no moving
   *  statistics written, no gradients; for the whole model, the reconstruction's summed squared
   *  error comes out too (`squared`). */
  evaluation?: boolean;
  /** The stage's draws as its plan writes them (default: derived from the graph, ir/noise.ts). */
  noise?: readonly IRNoise[];
}

export interface StageGraph {
  model: Uint8Array;
  /** Graph input names. */
  data: string;
  /** The label input, fed as class indices (floats [batch]) when a node or term reads it. */
  labels?: string;
  /** Stored parameters fed (`param:${id}`), and those whose gradient comes out (`grad:${id}`). */
  parameters: IRParameter[];
  trainable: string[];
  /** Non-trainable parameters the forward pass writes (`assign:${id}` out): moving statistics. */
  assigned: string[];
  /** The plan's draws, in the plan's order (the order their seeds are drawn in). */
  noise: FedNoise[];
  /** The vq nodes whose codebook upkeep draws two seeds in training, in node order (after the
   *  plan's draws, as on tfjs). */
  upkeep: string[];
  /** The stage's vq nodes, whose codebook upkeep (codebooks.ts) reads `codes:${node}` (one code per
   *  vector, floats) and `encoded:${node}` (the vectors quantised) each step. */
  codebooks: { node: string; parameter: string; dim: number }[];
  /** Outputs: `loss`, then `term:${i}` per objective term. */
  termCount: number;
  nodeCount: number;
}

/** A draw the step graph reads: the plan's entry, shaped as the graph's value. */
export interface FedNoise {
  node: string;
  /** The graph inputs it fills (salt-and-pepper fills three masks). */
  inputs: string[];
  shape: readonly Dim[];
  distribution: NoiseDistribution;
}

/** The training-step graph (or, with `evaluation`, the objective's graph) of one stage. */
export type StageGraphBuilder = (spec: StageGraphSpec) => StageGraph;

/** The spec of a planned stage's training step: the same for `ae compile --step-graph` and the engine. */
export function stageSpec(ir: IRModel, stage: PlannedStage): StageGraphSpec {
  return {
    ir,
    objective: stage.objective,
    trainable: stage.trainable,
    noise: stage.noise,
    ...(stage.greedy ? { nodes: stage.greedy.nodes, prefix: stage.greedy.prefix, rename: stage.greedy.rename } : {}),
  };
}

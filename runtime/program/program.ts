// IR → tfjs: parameters as variables, and a forward pass that walks the nodes in their (topological)
// IR order, calling one op function per node from the lowering table.
import * as tf from '@tensorflow/tfjs-core';
import { stageNoise, type IRNoise, type NoiseDistribution } from '../../ir/noise.js';
import type { IRCodebookUpkeep, IRModel, IRNode, IROp, IRTerm, ParameterRole } from '../../ir/types.js';
import type { Dataset } from '../data/index.js';
import { termTensors } from '../../ir/op-rules.js';
import { outputRef, parseRef } from '../../ir/outputs.js';
import type { Lowering, OpContext } from './context.js';
import { ops } from './ops/index.js';
import { ParameterStore } from './parameters.js';
import { Rng } from './rng.js';

export interface ForwardOptions {
  training: boolean;
  /** The training loop's own steps give their stage's codebook upkeep (its plan's): vq lowerings
   *  then seed a codebook still at its initial values from the batch and restart dead codes
   *  (vq-codebook.ts). Other training-mode passes (gradient checks, conformance, evaluation of the
   *  objective) see the codebook as it is. */
  codebooks?: readonly IRCodebookUpkeep[];
  /** Randomness for corruptions, dropout and sampling; the trainer passes one per epoch. */
  rng?: Rng;
  /** The draws of a training pass, as the stage's plan writes them (absent: derived from the
   *  graph, ir/noise.ts). One seed per entry is drawn from `rng` first, in this order. */
  noise?: readonly IRNoise[];
  /** Only these nodes, in IR order (greedy pretraining runs one layer's shallow AE). */
  nodes?: readonly IRNode[];
  /** Values already known (a code computed by frozen layers), by node id or input name. */
  given?: ReadonlyMap<string, tf.Tensor>;
  /** Reads of one id served by another (greedy: layer l's mirror reads layer l's code). */
  rename?: ReadonlyMap<string, string>;
}

/** Runs the program's inference-mode passes elsewhere (the onnx engine, runtime/engines/onnx/):
 *  the same values by the same keys, from the program's current weights. */
export interface InferenceDelegate {
  forward(inputs: Record<string, tf.Tensor>, options: ForwardOptions): Map<string, tf.Tensor>;
  /** `objective` over `dataset` in inference mode, `batch` samples at a time, without handing
   *  tensors back (validation, `ae eval`): the whole model's, or a greedy layer's; undefined where
   *  it cannot. */
  evaluate?(dataset: Dataset, objective: readonly IRTerm[], batch: number, layer?: EvaluatedLayer): DelegatedEvaluation | undefined;
  dispose(): void;
}

/** A greedy layer evaluated alone: its nodes, fed by its prefix (in inference mode), through its
 *  renames (ir/plan.ts's GreedyPlan). */
export interface EvaluatedLayer {
  nodes: readonly IRNode[];
  prefix: readonly IRNode[];
  rename: ReadonlyMap<string, string>;
}

/** Sums over a data set: the loss and each term weighted by batch size, the reconstruction's
 *  squared error over all its elements (the whole model's only: 0 for a greedy layer). */
export interface DelegatedEvaluation {
  /** Σ batch loss × batch size. */
  loss: number;
  /** Per term, in objective order, Σ value × batch size. */
  terms: number[];
  squared: number;
}

export interface Program {
  readonly ir: IRModel;
  readonly parameters: ParameterStore;
  /** Storage variables by parameter id (tied parameters share their target's). */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  /** Every node's output by id, model inputs by name, and named outputs by their reference
   *  (`<node id>:<output>`, ir/outputs.ts). */
  forward(inputs: Record<string, tf.Tensor>, options: ForwardOptions): Map<string, tf.Tensor>;
  /** From now on, inference-mode passes without renames run on `delegate` (undefined: on tfjs). */
  delegateInference(delegate: InferenceDelegate | undefined): void;
  /** The delegate's evaluation of `objective` over `dataset` (InferenceDelegate.evaluate), or
   *  undefined: no delegate, or one that cannot (the caller evaluates on tfjs). */
  evaluateDelegated(dataset: Dataset, objective: readonly IRTerm[], batch: number, layer?: EvaluatedLayer): DelegatedEvaluation | undefined;
  dispose(): void;
}

export class UnknownOpError extends Error {}

export function buildProgram(ir: IRModel, options: { seed: number }): Program {
  for (const node of ir.nodes) {
    if (!Object.hasOwn(ops, node.op)) throw new UnknownOpError(`node '${node.id}': unknown op '${node.op}'`);
  }
  const parameters = new ParameterStore(ir.parameters, options.seed);
  const defaultRng = new Rng(options.seed ^ 0x5eed);
  const wanted = readOutputs(ir);

  let delegate: InferenceDelegate | undefined;

  function forward(inputs: Record<string, tf.Tensor>, opts: ForwardOptions): Map<string, tf.Tensor> {
    if (delegate && !opts.training && !opts.rename) return delegate.forward(inputs, opts);
    const outputs = new Map<string, tf.Tensor>(Object.entries(inputs));
    for (const [key, value] of opts.given ?? []) outputs.set(key, value);
    const rng = opts.rng ?? defaultRng;
    const draws = opts.training ? seededDraws(opts.noise ?? stageNoise(ir, opts.nodes ?? ir.nodes, opts.rename), rng) : new Map<string, SeededDraw>();
    const varying = new Set<string>();
    for (const node of opts.nodes ?? ir.nodes) {
      const reads = node.inputs.map((read) => opts.rename?.get(read) ?? read);
      if (Object.keys(node.params ?? {}).length > 0 || reads.some((id) => varying.has(id))) varying.add(node.id);
      const args = reads.map((id) => {
        const value = outputs.get(id);
        if (!value) throw new Error(`node '${node.id}': input '${id}' has no value (missing model input?)`);
        return value;
      });
      const ctx: OpContext = {
        node,
        training: opts.training,
        upkeep: opts.codebooks?.find((c) => c.node === node.id),
        rng,
        draw: (kind) => {
          const planned = draws.get(node.id);
          if (!planned || planned.distribution.kind !== kind) throw new Error(`node '${node.id}' (${node.op}) draws '${kind}' noise in training, which the stage's plan does not give it`);
          return planned as never;
        },
        outputs,
        param: (role) => parameters.view(paramId(node, role)),
        side: (name, value) => outputs.set(outputRef(node.id, name), value),
        dependsOnParameters: (index) => varying.has(reads[index] ?? ''),
        wants: (name) => wanted.has(outputRef(node.id, name)),
        assign: (role: ParameterRole, value) => {
          parameters.variables.get(parameters.storageId(paramId(node, role)))!.assign(value);
        },
      };
      outputs.set(node.id, lower(node, args, ctx));
    }
    return outputs;
  }

  return {
    ir,
    parameters,
    variables: parameters.variables,
    forward,
    evaluateDelegated: (dataset, objective, batch, layer) => delegate?.evaluate?.(dataset, objective, batch, layer),
    delegateInference: (next) => {
      delegate?.dispose();
      delegate = next;
    },
    dispose: () => {
      delegate?.dispose();
      parameters.dispose();
    },
  };
}

interface SeededDraw {
  seed: number;
  distribution: NoiseDistribution;
}

/** One seed per planned draw, from `rng` in the plan's order (what the onnx engine feeds). */
function seededDraws(noise: readonly IRNoise[], rng: Rng): Map<string, SeededDraw> {
  return new Map(noise.map((draw) => [draw.node, { seed: rng.nextSeed(), distribution: draw.distribution }]));
}

/** Runs `node` through its lowering (the lookup by op and the attrs' type agree for every op). */
function lower<Op extends IROp>(node: IRNode<Op>, args: tf.Tensor[], ctx: OpContext): tf.Tensor {
  const lowering: Lowering<Op> = ops[node.op];
  return lowering(args, node.attrs, ctx);
}

function paramId(node: IRNode, role: ParameterRole): string {
  const id = node.params?.[role];
  if (id === undefined) throw new Error(`node '${node.id}' (${node.op}) has no '${role}' parameter`);
  return id;
}

/** The named outputs a node or an objective term of the IR reads (costly ones are made only then). */
function readOutputs(ir: IRModel): Set<string> {
  const terms = [...ir.objective, ...ir.phases.flatMap((p) => p.objective)];
  const reads = [...ir.nodes.flatMap((n) => n.inputs), ...terms.flatMap(termTensors)];
  return new Set(reads.filter((ref) => parseRef(ref).output !== undefined));
}

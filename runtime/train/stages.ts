// A run is a list of stages: each phase is one stage, except a phase with `schedule = greedy(...)`,
// which becomes one stage per encoder layer. Greedy layer l trains a shallow autoencoder: the nodes of
// encoder layer l and their mirrors in the decoder (IR `layer` = l), fed with the code that the
// already-trained layers 0..l-1 compute (in inference mode, so frozen and uncorrupted). Layer 0 also
// runs the corruptions and the output activation and uses the phase's objective (its terms over the
// nodes it computes); layer l > 0 reconstructs its input code with mse. Only layer l's parameters move.
import type { IRModel, IRNode, IRPhase, IRTerm } from '../../ir/types.js';
import type { ParameterStore } from '../program/parameters.js';
import { TrainingError } from './errors.js';

export interface Stage {
  /** `pretrain`, or `pretrain/layer1` for a greedy layer. */
  name: string;
  phaseIndex: number;
  phase: IRPhase;
  epochs: number;
  objective: IRTerm[];
  /** Storage parameter ids this stage updates. */
  trainable: string[];
  /** Greedy: nodes that compute this layer's input code (inference), and the nodes trained. */
  greedy?: GreedyLayer;
}

export interface GreedyLayer {
  layer: number;
  /** Nodes computing this layer's input code (run in inference mode). */
  prefix: IRNode[];
  /** The shallow autoencoder's nodes, in IR order. */
  nodes: IRNode[];
  /** The id of the input code (null for layer 0, which reads the model input). */
  codeId: string | null;
  /** The mirror's first node reads the deeper decoder layer; here it reads this layer's code. */
  rename: Map<string, string>;
}

export function planStages(ir: IRModel, phases: readonly IRPhase[], parameters: ParameterStore, epochsOverride?: number): Stage[] {
  const stages: Stage[] = [];
  phases.forEach((phase, phaseIndex) => {
    const objective = phase.objective.length > 0 ? phase.objective : ir.objective;
    if (objective.length === 0) throw new TrainingError(`phase '${phase.name}' has an empty objective`);
    const frozen = frozenNodes(ir, phase.freeze);
    if (phase.schedule?.kind === 'greedy') {
      stages.push(...greedyStages(ir, phase, phaseIndex, objective, frozen, parameters, epochsOverride ?? phase.schedule.epochs));
      return;
    }
    const trainable = trainableIds(ir.nodes.filter((n) => !frozen.has(n.id)), frozen, ir, parameters);
    stages.push({ name: phase.name, phaseIndex, phase, epochs: epochsOverride ?? phase.epochs, objective, trainable });
  });
  return stages;
}

/** Nodes whose stage, `as` name or id appears in `freeze`. */
function frozenNodes(ir: IRModel, freeze: readonly string[]): Set<string> {
  const names = new Set(freeze);
  return new Set(ir.nodes.filter((n) => names.has(n.stage) || (n.name !== undefined && names.has(n.name)) || names.has(n.id)).map((n) => n.id));
}

/** Trainable storage ids used by `nodes`; a storage shared with a frozen node stays frozen. */
function trainableIds(nodes: readonly IRNode[], frozen: ReadonlySet<string>, ir: IRModel, parameters: ParameterStore): string[] {
  const frozenStorage = new Set(
    ir.nodes.filter((n) => frozen.has(n.id)).flatMap((n) => Object.values(n.params ?? {}).map((id) => parameters.storageId(id!))),
  );
  const ids = new Set<string>();
  for (const node of nodes) {
    for (const id of Object.values(node.params ?? {})) {
      const storage = parameters.storageId(id!);
      if (parameters.parameter(storage).trainable && !frozenStorage.has(storage)) ids.add(storage);
    }
  }
  return [...ids];
}

function greedyStages(
  ir: IRModel,
  phase: IRPhase,
  phaseIndex: number,
  objective: IRTerm[],
  frozen: ReadonlySet<string>,
  parameters: ParameterStore,
  epochs: number,
): Stage[] {
  const isEncoder = (n: IRNode) => n.stage === 'encoder' || n.stage === 'latent';
  const layers = ir.nodes.filter((n) => isEncoder(n) && n.layer !== undefined).map((n) => n.layer!);
  if (layers.length === 0) throw new TrainingError(`phase '${phase.name}': greedy pretraining needs encoder layers (IR 'layer' indices)`);
  const count = Math.max(...layers) + 1;
  const corrupt = ir.nodes.filter((n) => n.stage === 'corrupt');
  const stages: Stage[] = [];
  for (let layer = 0; layer < count; layer++) {
    const encoderSide = ir.nodes.filter((n) => isEncoder(n) && n.layer === layer);
    const decoderSide = ir.nodes.filter((n) => n.stage === 'decoder' && n.layer === layer);
    if (encoderSide.length === 0 || decoderSide.length === 0) {
      throw new TrainingError(`phase '${phase.name}': greedy layer ${layer} needs encoder nodes and their mirrored decoder nodes`);
    }
    const prefix = layer === 0 ? [] : [...corrupt, ...ir.nodes.filter((n) => isEncoder(n) && n.layer !== undefined && n.layer < layer)];
    const nodes = layer === 0 ? [...corrupt, ...encoderSide, ...decoderSide, ...ir.nodes.filter((n) => n.stage === 'output')] : [...encoderSide, ...decoderSide];
    const ordered = ir.nodes.filter((n) => nodes.includes(n));
    const codeId = layer === 0 ? null : encoderSide[0]!.inputs[0]!;
    const decoderInput = decoderSide[0]!.inputs[0]!;
    const layerCode = encoderSide[encoderSide.length - 1]!.id;
    const rename = new Map(decoderInput === layerCode ? [] : [[decoderInput, layerCode] as const]);
    const computed = new Set([...ir.inputs.map((i) => i.name), ...ordered.map((n) => n.id)]);
    const layerObjective =
      layer === 0
        ? objective.filter((t) => termReads(t).every((id) => computed.has(id) || computed.has(ir.outputs.named[id] ?? '')))
        : [{ fn: 'mse', weight: 1, args: [decoderSide[decoderSide.length - 1]!.id, codeId!], options: { reduce: 'mean' } } as IRTerm];
    if (layerObjective.length === 0) {
      layerObjective.push({ fn: 'mse', weight: 1, args: [ir.outputs.reconstruction, ir.outputs.target], options: { reduce: 'mean' } });
    }
    stages.push({
      name: `${phase.name}/layer${layer}`,
      phaseIndex,
      phase,
      epochs,
      objective: layerObjective,
      trainable: trainableIds(ordered.filter((n) => !frozen.has(n.id)), frozen, ir, parameters),
      greedy: { layer, prefix, nodes: ordered, codeId, rename },
    });
  }
  return stages;
}

function termReads(term: IRTerm): string[] {
  const reads = [...term.args];
  const options = term.options as { fromLogits?: string; mean?: string; logvar?: string };
  for (const key of ['fromLogits', 'mean', 'logvar'] as const) if (options[key]) reads.push(options[key]!);
  return reads;
}

// The training plan of an IR: its stages, in order. Each phase is one stage, except a phase with a
// greedy schedule, which is one stage per encoder layer: layer l trains a shallow autoencoder, the
// nodes of encoder layer l and their mirrors in the decoder (IR `layer` = l), fed with the code the
// layers 0..l-1 compute (in inference mode, so frozen and uncorrupted). Layer 0 also runs the
// corruptions and the output activation and uses the terms of the phase's objective over the nodes
// it computes (the reconstruction's mse when none are); layer l > 0 reconstructs its input code
// with mse. A stage updates the trainable parameters (storage ids) of its nodes that `freeze` does
// not name. The compiler plans every IR it writes and reports a plan that cannot train (AE4109);
// the runtime's stages are this plan.
import type { IRModel, IRNode, IRPhase, IRTerm } from './types.js';

export interface StagePlan {
  /** `pretrain`, or `pretrain/layer1` for a greedy layer. */
  name: string;
  phaseIndex: number;
  objective: IRTerm[];
  /** Storage parameter ids this stage updates (never empty). */
  trainable: string[];
  greedy?: GreedyPlan;
}

export interface GreedyPlan {
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

export type TrainingPlan = { ok: true; stages: StagePlan[] } | { ok: false; phaseIndex: number; message: string };

export function planTraining(ir: IRModel, phases: readonly IRPhase[] = ir.phases): TrainingPlan {
  const stages: StagePlan[] = [];
  for (const [phaseIndex, phase] of phases.entries()) {
    const objective = phase.objective.length > 0 ? phase.objective : ir.objective;
    const fail = (message: string): TrainingPlan => ({ ok: false, phaseIndex, message: `phase \`${phase.name}\`: ${message}` });
    if (objective.length === 0) return fail('the objective is empty');
    const frozen = frozenNodes(ir, phase.freeze);
    const planned = phase.schedule?.kind === 'greedy' ? greedyStages(ir, phase, phaseIndex, objective, frozen) : [wholeModel(ir, phase, phaseIndex, objective, frozen)];
    if (typeof planned === 'string') return fail(planned);
    const idle = planned.find((s) => s.trainable.length === 0);
    if (idle) return fail(`${idle.greedy ? `greedy layer ${idle.greedy.layer}` : 'it'} has nothing to train (every parameter it uses is frozen)`);
    stages.push(...planned);
  }
  return { ok: true, stages };
}

function wholeModel(ir: IRModel, phase: IRPhase, phaseIndex: number, objective: IRTerm[], frozen: ReadonlySet<string>): StagePlan {
  return { name: phase.name, phaseIndex, objective, trainable: trainableIds(ir, ir.nodes.filter((n) => !frozen.has(n.id)), frozen) };
}

/** Nodes whose stage, `as` name or id appears in `freeze`. */
function frozenNodes(ir: IRModel, freeze: readonly string[]): Set<string> {
  const names = new Set(freeze);
  return new Set(ir.nodes.filter((n) => names.has(n.stage) || (n.name !== undefined && names.has(n.name)) || names.has(n.id)).map((n) => n.id));
}

/** Trainable storage ids used by `nodes`; a storage shared with a frozen node stays frozen. */
function trainableIds(ir: IRModel, nodes: readonly IRNode[], frozen: ReadonlySet<string>): string[] {
  const byId = new Map(ir.parameters.map((p) => [p.id, p]));
  const storage = (id: string) => byId.get(id)?.tiedTo ?? id;
  const frozenStorage = new Set(ir.nodes.filter((n) => frozen.has(n.id)).flatMap((n) => Object.values(n.params ?? {}).map((id) => storage(id!))));
  const ids = new Set<string>();
  for (const node of nodes) {
    for (const id of Object.values(node.params ?? {})) {
      const stored = storage(id!);
      if (byId.get(stored)?.trainable && !frozenStorage.has(stored)) ids.add(stored);
    }
  }
  return [...ids];
}

function greedyStages(ir: IRModel, phase: IRPhase, phaseIndex: number, objective: IRTerm[], frozen: ReadonlySet<string>): StagePlan[] | string {
  const isEncoder = (n: IRNode) => n.stage === 'encoder' || n.stage === 'latent';
  const layers = ir.nodes.filter((n) => isEncoder(n) && n.layer !== undefined).map((n) => n.layer!);
  if (layers.length === 0) return 'greedy pretraining needs encoder layers';
  const count = Math.max(...layers) + 1;
  const corrupt = ir.nodes.filter((n) => n.stage === 'corrupt');
  const stages: StagePlan[] = [];
  for (let layer = 0; layer < count; layer++) {
    const encoderSide = ir.nodes.filter((n) => isEncoder(n) && n.layer === layer);
    const decoderSide = ir.nodes.filter((n) => n.stage === 'decoder' && n.layer === layer);
    if (encoderSide.length === 0 || decoderSide.length === 0) {
      return `greedy layer ${layer} needs encoder layers and their mirrors in the decoder (the decoder has ${decoderSide.length === 0 ? 'none for it' : 'no encoder layer to pair with'})`;
    }
    const prefix = layer === 0 ? [] : [...corrupt, ...ir.nodes.filter((n) => isEncoder(n) && n.layer !== undefined && n.layer < layer)];
    const chosen = new Set(layer === 0 ? [...corrupt, ...encoderSide, ...decoderSide, ...ir.nodes.filter((n) => n.stage === 'output')] : [...encoderSide, ...decoderSide]);
    const nodes = ir.nodes.filter((n) => chosen.has(n));
    const codeId = layer === 0 ? null : encoderSide[0]!.inputs[0]!;
    const decoderInput = decoderSide[0]!.inputs[0]!;
    const layerCode = encoderSide[encoderSide.length - 1]!.id;
    const rename = new Map(decoderInput === layerCode ? [] : [[decoderInput, layerCode] as const]);
    const computed = new Set([...ir.inputs.map((i) => i.name), ...nodes.map((n) => n.id)]);
    const reads = (t: IRTerm) => termReads(t).every((id) => computed.has(id) || computed.has(ir.outputs.named[id] ?? ''));
    const mse = (args: string[]): IRTerm => ({ fn: 'mse', weight: 1, args, options: { reduce: 'mean' } });
    const layerObjective = layer === 0 ? objective.filter(reads) : [mse([decoderSide[decoderSide.length - 1]!.id, codeId!])];
    if (layerObjective.length === 0) layerObjective.push(mse([ir.outputs.reconstruction, ir.outputs.target]));
    stages.push({
      name: `${phase.name}/layer${layer}`,
      phaseIndex,
      objective: layerObjective,
      trainable: trainableIds(ir, nodes.filter((n) => !frozen.has(n.id)), frozen),
      greedy: { layer, prefix, nodes, codeId, rename },
    });
  }
  return stages;
}

/** Every id a term reads: its arguments and the nodes its options name. */
function termReads(term: IRTerm): string[] {
  const reads = [...term.args];
  if ('fromLogits' in term.options && term.options.fromLogits) reads.push(term.options.fromLogits);
  if (term.fn === 'kl') reads.push(term.options.mean, term.options.logvar);
  return reads;
}

// The training plan of an IR: its stages, in order. Each phase is one stage, except a phase with a
// greedy schedule, which is one stage per encoder layer: layer l trains a shallow autoencoder, the
// nodes of encoder layer l and their mirrors in the decoder (IR `layer` = l), fed with the code the
// layers 0..l-1 compute (in inference mode, so frozen and clean). Layer 0 also runs the output
// activation and uses the terms of the phase's objective over the nodes it computes (the
// reconstruction's mse when none are); layer l > 0 reconstructs its clean input code with mse.
// Every layer denoises, as in Vincent et al. (2010): the model's corruption chain runs on each
// layer's input (the model input for layer 0, the code below for layer l > 0; elementwise, so any
// shape), in training only like every corruption. At l > 0 the chain leaves out `clip`, whose
// bounds are the model input's range, not the code's. A stage updates the trainable parameters
// (storage ids) of its nodes that `freeze` does not name. The compiler plans every IR it writes and
// reports a plan that cannot train (AE4109); the runtime's stages are this plan. Each stage also
// carries the noise its forward pass draws (ir/noise.ts) and its optimiser update
// (ir/stage-update.ts) and its vq codebooks' upkeep (ir/codebook-upkeep.ts), written beside its
// structure so that the engines derive none of them.
import { contractivePath } from './contractive-path.js';
import { checkCodebooks, stageCodebooks } from './codebook-upkeep.js';
import { checkNoise, shapeLookup, stageNoise, type IRNoise } from './noise.js';
import { opTraits, termTensors, termTraits } from './op-rules.js';
import { parseRef } from './outputs.js';
import { checkUpdate, parameterRoles, stageUpdate } from './stage-update.js';
import type { IRCodebookUpkeep, IRModel, IRNode, IRParameter, IRPhase, IRStage, IRStageUpdate, IRTerm, ParameterRole } from './types.js';

export interface StagePlan {
  /** `pretrain`, or `pretrain/layer1` for a greedy layer. */
  name: string;
  phaseIndex: number;
  objective: IRTerm[];
  /** Storage parameter ids this stage updates (never empty). */
  trainable: string[];
  greedy?: GreedyPlan;
}

/** A stage with what it draws and how it updates its parameters: what the engines train. */
export interface PlannedStage extends StagePlan {
  /** The draws of its forward pass in training, in the order their seeds are drawn. */
  noise: IRNoise[];
  update: IRStageUpdate;
  /** The upkeep of the vq codebooks it trains through, in node order. */
  codebooks: IRCodebookUpkeep[];
}

export interface GreedyPlan {
  layer: number;
  /** Nodes computing this layer's input code (run in inference mode). */
  prefix: IRNode[];
  /** The shallow autoencoder's nodes, in IR order. */
  nodes: IRNode[];
  /** The id of the input code (null for layer 0, which reads the model input). */
  codeId: string | null;
  /** The corruption nodes this layer's input goes through in training, in chain order (empty when
   *  the model corrupts nothing). Layer l > 0 runs them on its code, through `rename`. */
  corruption: string[];
  /** The mirror's first node reads the deeper decoder layer; here it reads this layer's code. At
   *  l > 0 the corruption chain reads the code instead of the model input, and the layer reads the
   *  chain's end instead of the code. */
  rename: Map<string, string>;
}

export type TrainingPlan = { ok: true; stages: PlannedStage[] } | { ok: false; phaseIndex: number; message: string };

export function planTraining(ir: IRModel, phases: readonly IRPhase[] = ir.phases): TrainingPlan {
  const lookups = planLookups(ir);
  return planPhases(ir, phases, (phase, planned) =>
    planned.map((stage) => ({ ...stage, noise: derivedNoise(ir, stage, lookups), update: stageUpdate(ir, phase, stage.trainable, lookups.roles), codebooks: derivedCodebooks(ir, stage) })),
  );
}

/** Whether `ir` can be planned, and why not: planTraining's verdict without its stages (their noise,
 *  update and codebooks, which cannot fail), for a caller that keeps no plan (`ae check`, which
 *  plans every model of a file only to report AE4109). */
export function planVerdict(ir: IRModel, phases: readonly IRPhase[] = ir.phases): { ok: true } | { ok: false; phaseIndex: number; message: string } {
  return planPhases(ir, phases, () => []);
}

/** The stages of every phase, each phase's made by `finish` from its structure once it can train. */
function planPhases<Stage>(
  ir: IRModel,
  phases: readonly IRPhase[],
  finish: (phase: IRPhase, planned: StagePlan[]) => Stage[],
): { ok: true; stages: Stage[] } | { ok: false; phaseIndex: number; message: string } {
  const stages: Stage[] = [];
  // Built once for every phase: `ae check` plans each model of a file, most of them small.
  const index = irIndex(ir);
  for (let phaseIndex = 0; phaseIndex < phases.length; phaseIndex++) {
    const phase = phases[phaseIndex]!;
    const objective = phase.objective.length > 0 ? phase.objective : ir.objective;
    if (objective.length === 0) return phaseFailure(phase, phaseIndex, 'the objective is empty');
    const frozen = frozenNodes(ir, phase.freeze);
    const planned = phase.schedule?.kind === 'greedy' ? greedyStages(ir, phase, phaseIndex, objective, frozen, index) : [wholeModel(ir, phase, phaseIndex, objective, frozen, index)];
    if (typeof planned === 'string') return phaseFailure(phase, phaseIndex, planned);
    const idle = planned.find((s) => s.trainable.length === 0);
    if (idle) return phaseFailure(phase, phaseIndex, `${idle.greedy ? `greedy layer ${idle.greedy.layer}` : 'it'} has nothing to train (every parameter it uses is frozen)`);
    const reached = reachedStorage(ir, objective, index);
    const unreached = planned.find((s) => !s.greedy && !s.trainable.some((id) => reached.has(id)));
    if (unreached) return phaseFailure(phase, phaseIndex, 'no gradient of its loss reaches a trainable parameter (a vq codebook learns only through `vq_loss`)');
    for (const stage of finish(phase, planned)) stages.push(stage);
  }
  return { ok: true, stages };
}

function phaseFailure(phase: IRPhase, phaseIndex: number, message: string): { ok: false; phaseIndex: number; message: string } {
  return { ok: false, phaseIndex, message: `phase \`${phase.name}\`: ${message}` };
}

/** The IR's nodes and parameters by id, for the walks of a plan. */
interface IRIndex {
  nodes: ReadonlyMap<string, IRNode>;
  parameters: ReadonlyMap<string, IRParameter>;
}

function irIndex(ir: IRModel): IRIndex {
  const nodes = new Map<string, IRNode>();
  for (const node of ir.nodes) nodes.set(node.id, node);
  const parameters = new Map<string, IRParameter>();
  for (const parameter of ir.parameters) parameters.set(parameter.id, parameter);
  return { nodes, parameters };
}

/** What deriving each stage's noise and update looks up, built once per IR (a greedy schedule
 *  plans a stage per layer: rebuilding these per stage would be quadratic in the layers). */
interface PlanLookups {
  shapes: ReturnType<typeof shapeLookup>;
  roles: ReturnType<typeof parameterRoles>;
}

function planLookups(ir: IRModel): PlanLookups {
  return { shapes: shapeLookup(ir), roles: parameterRoles(ir) };
}

/** The draws of a stage: a greedy layer's nodes through its renames, or the whole model. */
function derivedNoise(ir: IRModel, stage: StagePlan, lookups: PlanLookups): IRNoise[] {
  return stage.greedy ? stageNoise(ir, stage.greedy.nodes, stage.greedy.rename, lookups.shapes) : stageNoise(ir, ir.nodes, undefined, lookups.shapes);
}

/** The codebook upkeep of a stage: of the quantisers among its nodes (a greedy layer's own). */
function derivedCodebooks(ir: IRModel, stage: StagePlan): IRCodebookUpkeep[] {
  return stageCodebooks(stage.greedy ? stage.greedy.nodes : ir.nodes);
}

/** The plan as the IR writes it (`plan`): nodes by id, renames as an object, and a greedy layer's
 *  prefix as what it adds to the layer below's (whole prefixes would make the IR quadratic in the
 *  number of layers). */
export function writtenPlan(stages: readonly PlannedStage[]): IRStage[] {
  return stages.map((stage, index) => ({
    name: stage.name,
    phase: stage.phaseIndex,
    objective: stage.objective,
    trainable: stage.trainable,
    ...(stage.greedy
      ? {
          greedy: {
            layer: stage.greedy.layer,
            prefix: stage.greedy.prefix.slice(belowOf(stages, index)?.greedy!.prefix.length ?? 0).map((n) => n.id),
            nodes: stage.greedy.nodes.map((n) => n.id),
            code: stage.greedy.codeId,
            corruption: stage.greedy.corruption,
            rename: Object.fromEntries(stage.greedy.rename),
          },
        }
      : {}),
    noise: stage.noise,
    update: stage.update,
    codebooks: stage.codebooks,
  }));
}

/** The greedy stage of the layer below stage `index`'s, in the same phase. */
function belowOf<S extends { phase?: number; phaseIndex?: number; greedy?: { layer: number } }>(stages: readonly S[], index: number): S | undefined {
  const stage = stages[index]!;
  const below = stages[index - 1];
  const phaseOf = (s: S) => s.phase ?? s.phaseIndex;
  return stage.greedy && below?.greedy && phaseOf(below) === phaseOf(stage) && below.greedy.layer === stage.greedy.layer - 1 ? below : undefined;
}

/**
 * The stages an IR trains: the plan the compiler wrote into it, read back (every id it names must
 * be a node, a parameter or an input of the IR), or, for an IR built by hand without one, the plan
 * derived here as the compiler derives it. A plan written before stages carried their noise and
 * update (an IR of the previous compiler) gets them derived; written ones must fit the stage.
 */
export function stagesOf(ir: IRModel): TrainingPlan {
  if (ir.plan === undefined) return planTraining(ir);
  const nodes = new Map(ir.nodes.map((n) => [n.id, n]));
  const position = new Map(ir.nodes.map((n, i) => [n, i]));
  const parameters = new Set(ir.parameters.map((p) => p.id));
  const values = new Set([...nodes.keys(), ...ir.inputs.map((i) => i.name)]);
  const stages: PlannedStage[] = [];
  const lookups = planLookups(ir);
  for (const [index, written] of ir.plan.entries()) {
    const fail = (message: string): TrainingPlan => ({ ok: false, phaseIndex: Math.min(written.phase, ir.phases.length - 1), message: `plan stage ${index} (\`${written.name}\`): ${message}` });
    if (written.phase >= ir.phases.length) return fail(`phase ${written.phase} does not exist (the IR has ${ir.phases.length})`);
    const unknownParameter = written.trainable.find((id) => !parameters.has(id));
    if (unknownParameter !== undefined) return fail(`'${unknownParameter}' is not a parameter`);
    let greedy: GreedyPlan | undefined;
    if (written.greedy) {
      const w = written.greedy;
      const named = [...w.prefix, ...w.nodes, ...w.corruption];
      const unknownNode = named.find((id) => !nodes.has(id));
      if (unknownNode !== undefined) return fail(`'${unknownNode}' is not a node`);
      const unknownValue = [...(w.code === null ? [] : [w.code]), ...Object.keys(w.rename), ...Object.values(w.rename)].find((id) => !values.has(id));
      if (unknownValue !== undefined) return fail(`'${unknownValue}' is not a node or an input`);
      // The layer below's prefix and this layer's additions, in IR order (a plan that writes whole
      // prefixes reads the same).
      const below = belowOf(ir.plan, index) ? stages[stages.length - 1]!.greedy!.prefix : [];
      const prefix = new Set([...below, ...w.prefix.map((id) => nodes.get(id)!)]);
      greedy = {
        layer: w.layer,
        prefix: [...prefix].sort((a, b) => position.get(a)! - position.get(b)!),
        nodes: w.nodes.map((id) => nodes.get(id)!),
        codeId: w.code,
        corruption: w.corruption,
        rename: new Map(Object.entries(w.rename)),
      };
    }
    const stage: StagePlan = { name: written.name, phaseIndex: written.phase, objective: written.objective, trainable: written.trainable, ...(greedy ? { greedy } : {}) };
    const derived = derivedNoise(ir, stage, lookups);
    const badNoise = written.noise && checkNoise(written.noise, derived, nodes);
    if (badNoise) return fail(badNoise);
    const badUpdate = written.update && checkUpdate(written.update, parameters);
    if (badUpdate) return fail(badUpdate);
    const codebooks = derivedCodebooks(ir, stage);
    const badCodebooks = written.codebooks && checkCodebooks(written.codebooks, codebooks);
    if (badCodebooks) return fail(badCodebooks);
    stages.push({ ...stage, noise: written.noise ?? derived, update: written.update ?? stageUpdate(ir, ir.phases[written.phase]!, written.trainable, lookups.roles), codebooks: written.codebooks ?? codebooks });
  }
  return { ok: true, stages };
}

/**
 * Storage ids of the parameters a gradient of `objective` reaches, walking back from each term's
 * tensors through the nodes' inputs. A vq codebook is reached only by `vq_loss`: the quantiser
 * passes other gradients straight through to its input. `weight_decay` reaches every parameter.
 */
function reachedStorage(ir: IRModel, objective: readonly IRTerm[], index: IRIndex): Set<string> {
  const storage = (id: string) => index.parameters.get(id)?.tiedTo ?? id;
  if (objective.some((term) => termTraits(term.fn).reachesAllParameters)) return new Set(ir.parameters.map((p) => storage(p.id)));
  const reached = new Set<string>();
  for (const term of objective) {
    const seen = new Set<string>();
    // A term reading a named output (vq_loss's `quantized`) reaches back through its node.
    const pending = term.args.map((arg) => parseRef(arg).node);
    while (pending.length > 0) {
      const node = index.nodes.get(pending.pop()!);
      if (!node || seen.has(node.id)) continue;
      seen.add(node.id);
      // Keys by `in`, not Object.entries: a pair array per parameter, for every node of every model.
      const params = node.params ?? {};
      const only = opTraits(node.op).trainedOnlyBy;
      for (const role in params) {
        if (only && only.role === role && only.term !== term.fn) continue;
        reached.add(storage(params[role as ParameterRole]!));
      }
      for (const input of node.inputs) pending.push(input);
    }
  }
  return reached;
}

function wholeModel(ir: IRModel, phase: IRPhase, phaseIndex: number, objective: IRTerm[], frozen: ReadonlySet<string>, index: IRIndex): StagePlan {
  const unfrozen = frozen.size === 0 ? ir.nodes : ir.nodes.filter((n) => !frozen.has(n.id));
  return { name: phase.name, phaseIndex, objective, trainable: storageOf(ir, frozen, index).trainable(unfrozen) };
}

/** Nodes whose stage, `as` name or id appears in `freeze`. */
function frozenNodes(ir: IRModel, freeze: readonly string[]): Set<string> {
  const frozen = new Set<string>();
  if (freeze.length === 0) return frozen;
  const names = new Set(freeze);
  for (const n of ir.nodes) if (names.has(n.stage) || (n.name !== undefined && names.has(n.name)) || names.has(n.id)) frozen.add(n.id);
  return frozen;
}

/** The storage ids of parameters, and which of them a stage over some nodes may update (built once
 *  per plan: a greedy plan asks for every layer). A storage shared with a frozen node stays frozen. */
function storageOf(ir: IRModel, frozen: ReadonlySet<string>, index: IRIndex) {
  const byId = index.parameters;
  const storage = (id: string) => byId.get(id)?.tiedTo ?? id;
  const frozenStorage = new Set<string>();
  if (frozen.size > 0) for (const n of ir.nodes) if (frozen.has(n.id)) for (const id of Object.values(n.params ?? {})) frozenStorage.add(storage(id!));
  return {
    trainable(nodes: readonly IRNode[]): string[] {
      const ids = new Set<string>();
      for (const node of nodes) {
        const params = node.params;
        if (params === undefined) continue;
        for (const role in params) {
          const stored = storage(params[role as ParameterRole]!);
          if (byId.get(stored)?.trainable && !frozenStorage.has(stored)) ids.add(stored);
        }
      }
      return [...ids];
    },
  };
}

/** Each layer's nodes on one side of the model, in IR order. */
function nodesByLayer(nodes: readonly IRNode[], side: (n: IRNode) => boolean): Map<number, IRNode[]> {
  const layers = new Map<number, IRNode[]>();
  for (const node of nodes) {
    if (node.layer === undefined || !side(node)) continue;
    const list = layers.get(node.layer) ?? [];
    list.push(node);
    layers.set(node.layer, list);
  }
  return layers;
}

// Every lookup below is built once for the whole plan: a greedy plan has one stage per layer, and
// a hostile 900-layer encoder once took 2.3 s here when each layer scanned every node.
function greedyStages(ir: IRModel, phase: IRPhase, phaseIndex: number, objective: IRTerm[], frozen: ReadonlySet<string>, index: IRIndex): StagePlan[] | string {
  const isEncoder = (n: IRNode) => n.stage === 'encoder' || n.stage === 'latent';
  const encoderLayers = nodesByLayer(ir.nodes, isEncoder);
  const decoderLayers = nodesByLayer(ir.nodes, (n) => n.stage === 'decoder');
  if (encoderLayers.size === 0) return 'greedy pretraining needs encoder layers';
  const count = Math.max(...encoderLayers.keys()) + 1;
  const corrupt = corruptionChain(ir);
  const position = new Map(ir.nodes.map((n, i) => [n, i]));
  const shapes = valueShapes(ir);
  const storage = storageOf(ir, frozen, index);
  const outputNodes = ir.nodes.filter((n) => n.stage === 'output');
  const stages: StagePlan[] = [];
  // The prefix of layer l: the corruption nodes and encoder layers 0 … l−1, grown layer by layer.
  const prefix: IRNode[] = [];
  for (let layer = 0; layer < count; layer++) {
    const encoderSide = encoderLayers.get(layer) ?? [];
    const decoderSide = decoderLayers.get(layer) ?? [];
    if (encoderSide.length === 0 || decoderSide.length === 0) {
      return `greedy layer ${layer} needs encoder layers and their mirrors in the decoder (the decoder has ${decoderSide.length === 0 ? 'none for it' : 'no encoder layer to pair with'})`;
    }
    if (layer === 1) prefix.push(...corrupt.all);
    if (layer > 0) prefix.push(...encoderLayers.get(layer - 1)!);
    const codeId = layer === 0 ? null : encoderSide[0]!.inputs[0]!;
    const corruption = layer === 0 ? corrupt.all : corrupt.noise;
    const chosen = new Set([...corruption, ...encoderSide, ...decoderSide, ...(layer === 0 ? outputNodes : [])]);
    const nodes = [...chosen].sort((a, b) => position.get(a)! - position.get(b)!);
    const decoderInput = decoderSide[0]!.inputs[0]!;
    const layerCode = encoderSide[encoderSide.length - 1]!.id;
    // The twin must undo the layer: read its code, give back its input. A written decoder that is
    // not the encoder's mirror once passed here and failed in tfjs ("inner shapes (6) and (3)").
    const mismatch = twinMismatch(shapes, encoderSide, decoderSide);
    if (mismatch) return `greedy layer ${layer}: ${mismatch}; write the decoder as the encoder's mirror (or \`decoder = mirror(encoder)\`)`;
    const rename = new Map(decoderInput === layerCode ? [] : [[decoderInput, layerCode] as const]);
    if (layer > 0 && corruption.length > 0) {
      for (const [from, to] of corrupt.skipClips) rename.set(from, to === corrupt.input ? codeId! : to);
      rename.set(corrupt.input, codeId!);
      rename.set(codeId!, corruption[corruption.length - 1]!.id);
    }
    const mse = (args: string[]): IRTerm => ({ fn: 'mse', weight: 1, args, options: { reduce: 'mean' } });
    let layerObjective: IRTerm[];
    if (layer === 0) {
      const computed = new Set([...ir.inputs.map((i) => i.name), ...nodes.map((n) => n.id)]);
      const reads = (t: IRTerm) => termReads(ir, t).every((id) => computed.has(id) || computed.has(ir.outputs.named[id] ?? ''));
      layerObjective = objective.filter(reads);
      if (layerObjective.length === 0) layerObjective.push(mse([ir.outputs.reconstruction, ir.outputs.target]));
    } else {
      layerObjective = [mse([decoderSide[decoderSide.length - 1]!.id, codeId!])];
    }
    stages.push({
      name: `${phase.name}/layer${layer}`,
      phaseIndex,
      objective: layerObjective,
      trainable: storage.trainable(nodes.filter((n) => !frozen.has(n.id))),
      greedy: { layer, prefix: [...prefix], nodes, codeId, corruption: corruption.map((n) => n.id), rename },
    });
  }
  return stages;
}

/** Every value's shape: the inputs' and the nodes'. */
function valueShapes(ir: IRModel): Map<string, readonly (number | null)[]> {
  return new Map<string, readonly (number | null)[]>([...ir.inputs.map((i) => [i.name, i.shape] as const), ...ir.nodes.map((n) => [n.id, n.shape] as const)]);
}

/** Why a greedy layer's decoder twin does not map the layer's code back to the layer's input. */
function twinMismatch(shapes: ReadonlyMap<string, readonly (number | null)[]>, encoderSide: readonly IRNode[], decoderSide: readonly IRNode[]): string | undefined {
  const text = (shape: readonly (number | null)[] | undefined) => (shape ? `[${shape.slice(1).join(', ')}]` : 'an unknown shape');
  const layerIn = shapes.get(encoderSide[0]!.inputs[0]!);
  const code = encoderSide[encoderSide.length - 1]!.shape;
  const twinIn = shapes.get(decoderSide[0]!.inputs[0]!);
  const twinOut = decoderSide[decoderSide.length - 1]!.shape;
  const same = (a: readonly (number | null)[] | undefined, b: readonly (number | null)[] | undefined) => a !== undefined && b !== undefined && a.join() === b.join();
  if (same(twinIn, code) && same(twinOut, layerIn)) return undefined;
  return `its decoder twin maps ${text(twinIn)} to ${text(twinOut)}, but must map the layer's code ${text(code)} back to its input ${text(layerIn)}`;
}

interface CorruptionChain {
  /** Every corruption node, in IR order. */
  all: IRNode[];
  /** The chain of the reconstruction's target (the input the encoder reads) without its clips. */
  noise: IRNode[];
  /** That target's name, which the chain's first node reads. */
  input: string;
  /** Each clip left out that a noise node reads, to what the clip reads (noise, or the input). */
  skipClips: Map<string, string>;
}

function corruptionChain(ir: IRModel): CorruptionChain {
  const all = ir.nodes.filter((n) => n.stage === 'corrupt');
  const byId = new Map(all.map((n) => [n.id, n]));
  const input = ir.outputs.target;
  const rootOf = (n: IRNode): string => {
    const read = n.inputs[0]!;
    const below = byId.get(read);
    return below ? rootOf(below) : read;
  };
  const chain = all.filter((n) => rootOf(n) === input);
  const isClip = (n: IRNode) => opTraits(n.op).corruption === 'clip';
  const noise = chain.filter((n) => !isClip(n));
  const clipReads = new Map(chain.filter(isClip).map((n) => [n.id, n.inputs[0]!] as const));
  const past = (id: string): string => (clipReads.has(id) ? past(clipReads.get(id)!) : id);
  const skipClips = new Map(noise.filter((n) => clipReads.has(n.inputs[0]!)).map((n) => [n.inputs[0]!, past(n.inputs[0]!)] as const));
  return { all, noise, input, skipClips };
}

/** Every id a term reads (a named output as its node): its arguments, the nodes and outputs its
 *  options name, contractive's whole path. */
function termReads(ir: IRModel, term: IRTerm): string[] {
  return termReferences(ir, term).map((ref) => parseRef(ref).node);
}

function termReferences(ir: IRModel, term: IRTerm): string[] {
  const reads = termTensors(term);
  if (termTraits(term.fn).readsContractivePath) {
    const path = contractivePath(new Map(ir.nodes.map((n) => [n.id, n])), term.args[0]!, term.args[1]!);
    if (path.ok) reads.push(...path.reads);
  }
  return reads;
}

// One model, structurally: inputs and corruptions, encoder, latent, decoder (mirrored or written),
// the output activation, heads, and the names a loss may use. A shape error stops the parts that
// depend on it (never the next model); what was built is still returned for the lints.
import type { ModelDeclaration, OutputMember } from '../../grammar/ast.js';
import type { ActivationSpec, IRInput, IRSourceLocation, Shape } from '../../ir/types.js';
import { LINEAR } from '../shapes/activations.js';
import type { SourceRange } from '../../grammar/ast.js';
import { activationCall } from './bind.js';
import { activationNames, isActivation } from '../shapes/activations.js';
import { formatShape, sameShape } from '../shapes/dims.js';
import type { ConstantEvaluator } from '../resolve/evaluate.js';
import { fromFailedImport, visibleConstants, type Env } from '../resolve/scope.js';
import { bindContext, type ModelContext } from './context.js';
import { expandLayers, layerLimitNote, MAX_LAYERS, type LayerBudget } from './expand.js';
import { Graph, type BuiltLayer } from './graph.js';
import { buildCorruptions, checkInputs } from './inputs.js';
import { buildLatent, checkLatentNames } from './latent.js';
import { collectMembers } from './members.js';
import { buildReads, readableInputs } from './reads.js';
import { buildMirror } from './mirror.js';
import type { CheckedHead, CheckedModel, NamedTensor } from './model.js';
import { countParameters } from './count.js';
import type { Reporter } from '../../diagnostics/reporter.js';
import { message } from '../../diagnostics/message.js';
import { buildStack, decoderLayerNumbers, encoderLayerNumbers } from './stack.js';
import { differentiableInputs, nodeActivation, nodeValueRange, TensorNames } from './tensors.js';
import { writtenName } from '../resolve/written.js';
import { thousands } from '../../diagnostics/numbers.js';

/** What every tensor but an input is differentiable from until `finish` knows (fillTensorFacts
 *  replaces it on every path out of checkModel): one shared empty set, not a set per tensor that is
 *  always thrown away. */
const SET_BY_FINISH: ReadonlySet<string> = new Set();

export interface CheckShared {
  reporter: Reporter;
  evaluator: ConstantEvaluator;
  locate: (range: SourceRange, file: string) => IRSourceLocation;
  /** One per analysis: the models of a file expand to MAX_LAYERS layers in all. */
  layerBudget: LayerBudget;
}

export interface CheckedModelResult {
  model: CheckedModel;
  /** Errors found in this model (the IR is emitted only when there are none). */
  errors: number;
  /** The check stopped before the whole model was built (an error here or in a constant it uses,
   *  possibly reported before this model): later passes would only report its cascades. */
  incomplete: boolean;
}

export function checkModel(decl: ModelDeclaration, env: Env, shared: CheckShared): CheckedModelResult {
  const errorsBefore = shared.reporter.errors;
  const file = env.scope.file;
  const graph = new Graph(shared.reporter, shared.locate);
  const ctx: ModelContext = { reporter: shared.reporter, evaluator: shared.evaluator, env, graph, decl, file, layerBudget: shared.layerBudget };
  const members = collectMembers(decl, shared.reporter, file);
  const inputs = checkInputs(ctx, members.inputs);
  const names = new TensorNames(shared.reporter, file);
  const layerNames: CheckedModel['layerNames'] = [];
  const heads: CheckedHead[] = [];
  const entries = buildCorruptions(ctx, members.corruptions, inputs);

  const model: CheckedModel = {
    name: decl.name.name,
    decl,
    file,
    inputs: inputs.inputs,
    ...(inputs.reconstructed ? { reconstructed: inputs.reconstructed } : {}),
    corruptions: members.corruptions,
    heads,
    tensors: names.tensors,
    layerNames,
    nodes: graph.nodes,
    parameters: graph.parameters,
    recurrences: graph.recurrences,
    locate: (range) => shared.locate(range, file),
    evaluateConstant: (expr) => shared.evaluator.evaluate(expr, env, false),
    evaluateCoefficient: (expr) => shared.evaluator.evaluateCollecting(expr, env),
    constantNames: visibleConstants(env),
    fromFailedImport: (name, namespaced) => fromFailedImport(env.scope, name, namespaced),
    parameterCount: { total: 0, trainable: 0 },
  };

  let headsBuilt = true;
  const finish = (complete = false): CheckedModelResult => {
    fillTensorFacts(model, graph, inputs.inputs.map((i) => i.ir.name));
    model.parameterCount = countParameters(graph.parameters);
    if (!Number.isSafeInteger(model.parameterCount.total)) {
      shared.reporter.report('AE3013', decl.name, message('AE3013', { what: `model \`${decl.name.name}\``, things: 'parameters' }), {
        file,
        notes: ['make the layers fewer or smaller'],
      });
    }
    return { model, errors: shared.reporter.errors - errorsBefore, incomplete: !complete || !headsBuilt };
  };

  // Independent mistakes are all reported in one run (issue 22): when one part fails, the parts after
  // it that cannot be built without it still have their names and arguments checked, which needs
  // no shapes (a misspelt `gausian` is not hidden behind a shape error in the encoder).
  const finishAfter = (failed: 'encoder' | 'latent' | 'decoder' | 'output'): CheckedModelResult => {
    const order = ['encoder', 'latent', 'decoder', 'output'] as const;
    const after = (part: (typeof order)[number]) => order.indexOf(part) > order.indexOf(failed);
    // Layers are expanded (to check their names) only while the file's layer budget lasts.
    const expand = (layers: Parameters<typeof expandLayers>[0]) => void (shared.layerBudget.spent || expandLayers(layers, env, ctx));
    if (after('latent') && members.latent) checkLatentNames(ctx, members.latent);
    const decoder = members.decoder;
    if (after('decoder') && decoder && !decoder.recovered && !decoder.mirror) expand(decoder.layers ?? []);
    if (after('output') && members.output && !members.output.recovered) outputActivation(ctx, members.output);
    for (const head of members.heads) if (!head.recovered) expand(head.layers);
    headsBuilt = false;
    return finish();
  };

  for (const input of inputs.inputs) names.add(inputTensor(input.ir, input.decl.name.range), input.decl.name);
  const target = inputs.reconstructed;
  if (!target || !members.latent) return finish();

  // ---- encoder
  const readable = readableInputs(inputs.inputs, entries);
  const encoderInput = buildReads(ctx, 'encoder', members.encoder?.reads, readable, { name: target.name, tensor: readable.get(target.name)! });
  if (!encoderInput) return finish();
  const encoderInstances = expandLayers(members.encoder?.layers ?? [], env, ctx) ?? undefined;
  if (!encoderInstances) return finishAfter('encoder');
  // A mirror copies the encoder's layers: charged now, before the encoder's graph is built, so a
  // mirrored encoder at the limit is refused at once rather than after building half of it.
  const decoderMirrors = members.decoder?.mirror !== undefined && !members.decoder.recovered;
  if (decoderMirrors && !shared.layerBudget.take(encoderInstances.length)) {
    shared.reporter.report('AE2022', members.decoder!.mirror!, message('AE2022', { limit: thousands(MAX_LAYERS), what: 'layers' }), {
      file,
      notes: [layerLimitNote, `this mirror copies the encoder's ${thousands(encoderInstances.length)} layers`],
    });
    return finish();
  }
  const encoderLayers = encoderLayerNumbers(encoderInstances);
  const pools: BuiltLayer[] = [];
  const encoder = buildStack(ctx, encoderInstances, {
    stage: 'encoder',
    idPrefix: 'encoder',
    input: encoderInput,
    layers: encoderLayers,
    pools,
  });
  addLayerNames(model, names, encoder.built, encoderInstances);
  if (!encoder.ok) return finishAfter('encoder');

  // ---- latent
  const weightedEncoderLayers = encoderInstances.filter((i) => i.op.weighted).length;
  const latent = buildLatent(ctx, members.latent, encoder.last, weightedEncoderLayers);
  if (!latent) return finishAfter('latent');
  // `identity` on an empty encoder makes the code the input itself: there is no code node for the
  // IR to name (it once failed the schema after a clean check), and nothing is compressed.
  const latentInput = inputs.inputs.find((i) => i.ir.name === latent.out.id);
  if (latentInput) {
    shared.reporter.report('AE3015', members.latent.value, message('AE3015', { latent: members.latent.name.name, input: latentInput.ir.name }), {
      file,
      related: [{ message: 'the encoder, with no layer', range: (members.encoder ?? decl.name).range }],
      notes: ['give the encoder a layer, or make the latent a layer of its own (`latent z = dense(32)`)'],
    });
    return finishAfter('latent');
  }
  model.latent = latent.latent;
  const code: NamedTensor = { name: latent.latent.name, nodeId: latent.out.id, shape: latent.out.shape, origin: 'latent', declaredAt: members.latent.name.range, differentiableFrom: SET_BY_FINISH };
  if (latent.latent.activation) code.activation = latent.latent.activation;
  names.add(code, members.latent.name);

  // ---- decoder
  const decoderMember = members.decoder;
  if (!decoderMember || decoderMember.recovered) return finishAfter('decoder');
  let decoded: { id: string; shape: Shape };
  const decoderInput = buildReads(ctx, 'decoder', decoderMember.reads, readable, { name: latent.latent.name, tensor: latent.out });
  if (!decoderInput) return finish();
  if (decoderMember.mirror) {
    // A conditional encoder's first layer reads more than the input: its mirror maps back to the input alone.
    const reconstructs = members.encoder?.reads ? target.shape : undefined;
    const mirrored = buildMirror(ctx, decoderMember, decoderMember.mirror, encoder.built, encoderLayers, latent, decoderInput, reconstructs);
    if (!mirrored.ok) return finishAfter('decoder');
    decoded = mirrored.last;
  } else {
    const instances = expandLayers(decoderMember.layers ?? [], env, ctx);
    if (!instances) return finishAfter('decoder');
    const decoder = buildStack(ctx, instances, {
      stage: 'decoder',
      idPrefix: 'decoder',
      input: decoderInput,
      layers: decoderLayerNumbers(instances),
      pools,
    });
    addLayerNames(model, names, decoder.built, instances);
    if (!decoder.ok) return finishAfter('decoder');
    decoded = decoder.last;
  }
  if (!sameShape(decoded.shape, target.shape)) {
    const input = inputs.inputs.find((i) => i.ir.name === target.name)!;
    shared.reporter.report(
      'AE3001',
      decoderMember.keyword,
      `the decoder gives ${formatShape(decoded.shape)}, but it must reconstruct \`${target.name}\` of ${formatShape(target.shape)}`,
      { file, related: [{ message: `\`${target.name}\` declared here`, range: input.decl.range }] },
    );
    return finishAfter('decoder');
  }

  // ---- output
  const outputMember = members.output;
  if (!outputMember || outputMember.recovered) return finishAfter('output');
  const table = isTableOutput(outputMember) ? tableOutputColumns(ctx, outputMember, target) : undefined;
  if (isTableOutput(outputMember) && !table) return finishAfter('output');
  const activation = table ? LINEAR : outputActivation(ctx, outputMember);
  if (!activation) return finishAfter('output');
  const outputId = graph.addNode({
    id: `output.${outputMember.name.name}`,
    ir: table ? { op: 'table_output', attrs: { columns: table } } : { op: 'activation', attrs: { ...activation } },
    inputs: [decoded.id],
    shape: decoded.shape,
    stage: 'output',
    at: outputMember,
    file,
  });
  model.output = { name: outputMember.name.name, decl: outputMember, activation, nodeId: outputId, shape: decoded.shape };
  names.add(
    {
      name: outputMember.name.name,
      nodeId: outputId,
      shape: decoded.shape,
      origin: 'output',
      declaredAt: outputMember.name.range,
      activation,
      preActivationNodeId: decoded.id,
      differentiableFrom: SET_BY_FINISH,
    },
    outputMember.name,
  );

  // ---- heads
  for (const head of members.heads) {
    if (head.recovered) {
      headsBuilt = false;
      continue;
    }
    const on = names.tensors.get(head.on.name);
    if (!on) {
      shared.reporter.unknown('AE2001', head.on, message('AE2001', { kind: 'tensor', name: head.on.name }), head.on.name, names.tensors.keys(), { file });
      headsBuilt = false;
      continue;
    }
    if (on.classes !== undefined) {
      shared.reporter.report('AE3002', head.on, message('AE3002', { layer: 'head', expected: 'a float tensor', actual: `the label \`${head.on.name}\`` }), { file });
      headsBuilt = false;
      continue;
    }
    const instances = expandLayers(head.layers, env, ctx);
    if (!instances) {
      headsBuilt = false;
      continue;
    }
    const built = buildStack(ctx, instances, {
      stage: 'head',
      idPrefix: `head.${head.name.name}`,
      input: { id: on.nodeId, shape: on.shape },
      splitLastActivation: true,
    });
    addLayerNames(model, names, built.built, instances);
    if (!built.ok) {
      headsBuilt = false;
      continue;
    }
    heads.push({
      name: head.name.name,
      decl: head,
      shape: built.last.shape,
      ...(built.activation ? { activation: built.activation } : {}),
      nodeId: built.last.id,
      ...(built.preActivationNodeId ? { preActivationNodeId: built.preActivationNodeId } : {}),
    });
    names.add(
      {
        name: head.name.name,
        nodeId: built.last.id,
        shape: built.last.shape,
        origin: 'head',
        declaredAt: head.name.range,
        ...(built.activation ? { activation: built.activation } : {}),
        ...(built.preActivationNodeId ? { preActivationNodeId: built.preActivationNodeId } : {}),
        differentiableFrom: SET_BY_FINISH,
      },
      head.name,
    );
  }
  return finish(true);
}

/** `output x_hat = table`: a table's per-column outputs (see ir/ops.ts `table_output`). */
function isTableOutput(member: OutputMember): boolean {
  const call = member.activation;
  return call.callee.kind === 'NameRef' && call.callee.name === 'table' && call.args.length === 0;
}

/** Each column's width, when the reconstructed input is a table (AE3017 otherwise). */
function tableOutputColumns(ctx: ModelContext, member: OutputMember, target: IRInput): number[] | undefined {
  if (target.kind === 'table' && target.columns) return target.columns.map((c) => c.levels ?? 1);
  ctx.reporter.report('AE3017', member.activation, message('AE3017', { input: target.name }), {
    file: ctx.file,
    notes: ['`output x_hat = table` reconstructs a `table(...)` input column by column; for a tensor input, name an activation (`sigmoid`, `linear`, ...)'],
  });
  return undefined;
}

function outputActivation(ctx: ModelContext, member: OutputMember): ActivationSpec | undefined {
  const call = member.activation;
  if (call.callee.kind === 'NameRef' && isActivation(call.callee.name)) return activationCall(call, bindContext(ctx));
  const name = call.callee.kind === 'NameRef' ? call.callee.name : '';
  ctx.reporter.unknown('AE2004', call.callee, message('AE2004', { name: writtenName(call.callee) }), name, activationNames, {
    file: ctx.file,
    notes: [`activations: ${activationNames.join(', ')}`],
  });
  return undefined;
}

function addLayerNames(model: CheckedModel, names: TensorNames, built: readonly BuiltLayer[], instances: readonly { alias?: { name: string; range: SourceRange } }[]): void {
  for (let index = 0; index < built.length; index++) {
    const alias = instances[index]?.alias;
    if (!alias) continue;
    const layer = built[index]!;
    const tensor: NamedTensor = { name: alias.name, nodeId: layer.id, shape: layer.shape, origin: 'layer', declaredAt: alias.range, differentiableFrom: SET_BY_FINISH };
    if (layer.activation) tensor.activation = layer.activation;
    if (names.add(tensor, alias)) model.layerNames.push({ name: alias.name, range: alias.range, nodeId: layer.id });
  }
}

/** An input as a named tensor, differentiable from itself. Its optional facts are assigned, not
 *  spread into the literal (a call into V8's runtime each, for every model of a file). */
function inputTensor(input: IRInput, declaredAt: SourceRange): NamedTensor {
  const tensor: NamedTensor = { name: input.name, nodeId: input.name, shape: input.shape, origin: 'input', declaredAt, differentiableFrom: new Set([input.name]) };
  if (input.range) tensor.valueRange = input.range;
  if (input.classes !== undefined) tensor.classes = input.classes;
  return tensor;
}

/** Value bounds and differentiability, once the whole graph is known. */
function fillTensorFacts(model: CheckedModel, graph: Graph, inputNames: readonly string[]): void {
  const from = differentiableInputs(model.nodes, inputNames);
  for (const tensor of model.tensors.values()) {
    if (tensor.origin === 'input') continue;
    tensor.differentiableFrom = from.get(tensor.nodeId) ?? new Set();
    const node = graph.node(tensor.nodeId);
    const range = nodeValueRange(node);
    if (range && !tensor.valueRange) tensor.valueRange = range;
    if (!tensor.activation) {
      const activation = nodeActivation(node);
      if (activation) tensor.activation = activation;
    }
  }
}

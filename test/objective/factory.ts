// Hand-built CheckedModels for the objective and lint tests: each member is written as a line of
// `.ae` text, so a test can assert the line and column a diagnostic points at, while the checked
// facts (shapes, activations, ranges) are derived here, without the real parser or checker.
import type {
  Call,
  CorruptMember,
  Expression,
  HeadMember,
  InputMember,
  LatentMember,
  Layer,
  LossMember,
  ModelMember,
  OutputMember,
  Position,
  SourceRange,
  TrainMember,
  TrainSetting,
} from '../../grammar/ast.js';
import { activationSpec } from '../../compiler/shapes/activations.js';
import type { CheckedHead, CheckedLatent, CheckedModel, ConstantValue, LatentKind, NamedTensor } from '../../compiler/check/model.js';
import type { Activation, ActivationSpec, IRInput, IRNode, IRParameter, Shape } from '../../ir/types.js';
import { asCall, parseExpression } from './mini-parser.js';

export interface ModelSpec {
  name?: string;
  /** `x: [784] in [0, 1]`, `y: label(10)`. */
  inputs?: string[];
  /** `x with mask(p = 0.3)`. */
  corrupt?: string[];
  /** `dense(64, act = relu) as h, dense(32)`: named dense layers become tensors. */
  encoder?: string;
  /** `z = dense(2, act = relu)`. */
  latent?: string;
  /** `x_hat = sigmoid`. */
  output?: string;
  /** `digits on z { dense(10, act = softmax) }`. */
  heads?: string[];
  loss?: string;
  /** `{ name: 'pretrain', settings: ['epochs = 5'], loss: 'mse(x_hat, x)' }`. */
  trains?: { name?: string; settings?: string[]; loss?: string }[];
  lets?: Record<string, ConstantValue>;
  parameterCount?: number;
  parameters?: IRParameter[];
}

const NON_DIFFERENTIABLE: LatentKind[] = ['binary', 'onehot', 'vq'];
const BOUNDS: Partial<Record<Activation, [number, number]>> = { sigmoid: [0, 1], softmax: [0, 1], tanh: [-1, 1] };

export interface BuiltModel {
  model: CheckedModel;
  text: string;
  /** The loss expression of the model (when `loss` was given). */
  loss?: Expression;
  trains: TrainMember[];
}

export function buildModel(spec: ModelSpec): BuiltModel {
  const lines: string[] = [];
  let offset = 0;
  /** Adds a line; returns where `fragment` (the part after `prefix`) starts. */
  const add = (prefix: string, fragment = ''): Position => {
    const line = lines.length + 1;
    const at = { offset: offset + prefix.length, line, column: prefix.length + 1 };
    lines.push(prefix + fragment);
    offset += prefix.length + fragment.length + 1;
    return at;
  };
  const shift = (p: Position, by: number): Position => ({ offset: p.offset + by, line: p.line, column: p.column + by });
  const span = (p: Position, length: number): SourceRange => ({ start: p, end: shift(p, length) });
  const ident = (name: string, p: Position) => ({ kind: 'Identifier' as const, name, range: span(p, name.length) });
  const lets = spec.lets ?? {};
  const evaluateConstant = (e: Expression): ConstantValue | undefined => evaluate(e, lets);

  const modelName = spec.name ?? 'm';
  const modelStart = add('model ', `${modelName} {`);
  const members: ModelMember[] = [];
  const tensors = new Map<string, NamedTensor>();
  const inputs: CheckedModel['inputs'] = [];

  for (const text of spec.inputs ?? []) {
    const at = add('  input ', text);
    const [, name, dims, low, high, classes] = /^(\w+): (?:\[([^\]]*)\](?: in \[([^,]+), ([^\]]+)\])?|label\((\d+)\))$/.exec(text) ?? [];
    if (!name) throw new Error(`factory: bad input ${text}`);
    const range = span(at, text.length);
    const decl: InputMember = {
      kind: 'InputMember',
      name: ident(name, at),
      type: classes
        ? { kind: 'LabelType', classes: { kind: 'NumberLiteral', value: Number(classes), raw: classes, range }, range }
        : { kind: 'TensorType', dimensions: [], range },
      range,
    };
    const ir: IRInput = classes
      ? { name, kind: 'label', shape: [null], dtype: 'int32', classes: Number(classes) }
      : { name, kind: 'tensor', shape: [null, ...dims!.split(',').map(Number)], dtype: 'float32', ...(low ? { range: [Number(low), Number(high)] as [number, number] } : {}) };
    members.push(decl);
    inputs.push({ decl, ir });
    tensors.set(name, {
      name, nodeId: name, shape: ir.shape, origin: 'input', declaredAt: decl.name.range,
      ...(ir.range ? { valueRange: ir.range } : {}),
      ...(ir.classes ? { classes: ir.classes } : {}),
      differentiableFrom: new Set(classes ? [] : [name]),
    });
  }
  const reconstructed = inputs.find((i) => i.ir.kind === 'tensor')?.ir;
  const fromInputs = new Set(inputs.filter((i) => i.ir.kind === 'tensor').map((i) => i.ir.name));

  const corruptions: CorruptMember[] = (spec.corrupt ?? []).map((text) => {
    const at = add('  corrupt ', text);
    const [target, chain] = splitOnce(text, ' with ');
    const member: CorruptMember = {
      kind: 'CorruptMember', target: ident(target!, at),
      chain: [asCall(parseExpression(chain!, shift(at, target!.length + 6)))], range: span(at, text.length),
    };
    members.push(member);
    return member;
  });

  const layerNames: CheckedModel['layerNames'] = [];
  if (spec.encoder !== undefined) {
    const at = add('  encoder { ', spec.encoder + ' }');
    const layers: Layer[] = [];
    let column = 0;
    for (const part of spec.encoder.split(/,(?![^(]*\))/)) {
      const lead = part.length - part.trimStart().length;
      const [callText, alias] = part.trim().split(' as ');
      const start = shift(at, column + lead);
      const call = asCall(parseExpression(callText!, start));
      const aliasAt = alias ? ident(alias, shift(start, callText!.length + 4)) : undefined;
      layers.push({ kind: 'LayerCall', call, ...(aliasAt ? { alias: aliasAt } : {}), range: span(start, part.trim().length) });
      if (aliasAt) {
        const nodeId = `encoder.${layers.length - 1}.dense`;
        const activation = activationOf(call);
        layerNames.push({ name: alias!, range: aliasAt.range, nodeId });
        tensors.set(alias!, {
          name: alias!, nodeId, shape: [null, firstNumber(call) ?? null], origin: 'layer', declaredAt: aliasAt.range, activation,
          ...(BOUNDS[activation.fn] ? { valueRange: BOUNDS[activation.fn] } : {}), differentiableFrom: fromInputs,
        });
      }
      column += part.length + 1;
    }
    members.push({ kind: 'EncoderMember', keyword: span(shift(at, -10), 7), layers, range: span(shift(at, -10), spec.encoder.length + 12) });
  }

  let latent: CheckedLatent | undefined;
  if (spec.latent) {
    const at = add('  latent ', spec.latent);
    const [name, callText] = splitOnce(spec.latent, ' = ');
    const value = asCall(parseExpression(callText!, shift(at, name!.length + 3)));
    const decl: LatentMember = { kind: 'LatentMember', name: ident(name!, at), value, range: span(at, spec.latent.length) };
    members.push(decl);
    const kind = (value.callee.kind === 'NameRef' ? value.callee.name : 'dense') as LatentKind;
    const named = (key: string) => value.args.find((a) => a.name?.name === key)?.value;
    const width = kind === 'vq' ? numberOf(named('dim')) : kind === 'identity' ? null : firstNumber(value);
    const activation = kind === 'dense' ? activationOf(value) : undefined;
    latent = {
      name: name!, kind, decl, width: width ?? null, shape: [null, width ?? null],
      ...(activation ? { activation } : {}),
      ...(kind === 'gaussian' ? { meanNodeId: `latent.${name}.mean`, logvarNodeId: `latent.${name}.logvar` } : {}),
      ...(kind === 'vq' ? { codes: numberOf(named('codes')) ?? 512, commitment: numberOf(named('commitment')) ?? 0.25 } : {}),
    };
    tensors.set(name!, {
      name: name!, nodeId: `latent.${name}`, shape: latent.shape, origin: 'latent', declaredAt: decl.name.range,
      ...(activation ? { activation } : {}),
      differentiableFrom: NON_DIFFERENTIABLE.includes(kind) ? new Set() : fromInputs,
    });
  }
  const downstream = latent && NON_DIFFERENTIABLE.includes(latent.kind) ? new Set<string>() : fromInputs;

  let output: CheckedModel['output'];
  if (spec.output) {
    const at = add('  output ', spec.output);
    const [name, act] = splitOnce(spec.output, ' = ');
    const activationCall = asCall(parseExpression(act!, shift(at, name!.length + 3)));
    const decl: OutputMember = { kind: 'OutputMember', name: ident(name!, at), activation: activationCall, range: span(at, spec.output.length) };
    members.push(decl);
    const activation: ActivationSpec = activationSpec(calleeName(activationCall) as Activation);
    const shape: Shape = reconstructed?.shape ?? [null];
    output = { name: name!, decl, activation, nodeId: 'output', shape };
    tensors.set(name!, {
      name: name!, nodeId: 'output', shape, origin: 'output', declaredAt: decl.name.range, activation,
      preActivationNodeId: 'output.logits', ...(BOUNDS[activation.fn] ? { valueRange: BOUNDS[activation.fn] } : {}),
      differentiableFrom: downstream,
    });
  }

  const heads: CheckedHead[] = (spec.heads ?? []).map((text) => {
    const at = add('  head ', text);
    const [, name, on, last] = /^(\w+) on (\w+) \{ .*?(dense\([^)]*\)) \}$/.exec(text) ?? [];
    if (!name) throw new Error(`factory: bad head ${text}`);
    const layer = asCall(parseExpression(last!, shift(at, text.indexOf(last!))));
    const decl: HeadMember = {
      kind: 'HeadMember', name: ident(name, at), on: { kind: 'NameRef', name: on!, range: span(shift(at, name.length + 4), on!.length) },
      layers: [{ kind: 'LayerCall', call: layer, range: layer.range }], range: span(at, text.length),
    };
    members.push(decl);
    const activation = activationOf(layer);
    const head: CheckedHead = { name, decl, shape: [null, firstNumber(layer) ?? null], activation, nodeId: `head.${name}`, preActivationNodeId: `head.${name}.logits` };
    tensors.set(name, {
      name, nodeId: head.nodeId, shape: head.shape, origin: 'head', declaredAt: decl.name.range, activation,
      preActivationNodeId: head.preActivationNodeId, ...(BOUNDS[activation.fn] ? { valueRange: BOUNDS[activation.fn] } : {}),
      differentiableFrom: downstream,
    });
    return head;
  });

  let loss: Expression | undefined;
  if (spec.loss !== undefined) {
    const at = add('  loss = ', spec.loss);
    loss = parseExpression(spec.loss, at);
    members.push({ kind: 'LossMember', value: loss, range: span(shift(at, -7), spec.loss.length + 7) } satisfies LossMember);
  }

  const trains: TrainMember[] = (spec.trains ?? []).map((t) => {
    const open = add('  train ', `${t.name ? t.name + ' ' : ''}{`);
    const settings: TrainSetting[] = (t.settings ?? []).map((s) => {
      const at = add('    ', s);
      const bare = /^(\w+)\(/.exec(s);
      if (bare && !s.startsWith(`${bare[1]} = `)) {
        // `early_stop(patience = 3)`: the shorthand, whose value is the whole call.
        return { kind: 'TrainSetting', name: ident(bare[1]!, at), value: parseExpression(s, at), shorthand: true, range: span(at, s.length) };
      }
      const [key] = s.split(' = ');
      const value = parseExpression(s.slice(key!.length + 3), shift(at, key!.length + 3));
      return { kind: 'TrainSetting', name: ident(key!, at), value, range: span(at, s.length) };
    });
    let phaseLoss: LossMember | undefined;
    if (t.loss) {
      const at = add('    loss = ', t.loss);
      phaseLoss = { kind: 'LossMember', value: parseExpression(t.loss, at), range: span(shift(at, -7), t.loss.length + 7) };
    }
    const close = add('  ', '}');
    const member: TrainMember = {
      kind: 'TrainMember', ...(t.name ? { name: ident(t.name, open) } : {}), settings, ...(phaseLoss ? { loss: phaseLoss } : {}),
      range: { start: shift(open, -6), end: shift(close, 1) },
    };
    members.push(member);
    return member;
  });

  const close = add('', '}');
  const model: CheckedModel = {
    name: modelName,
    decl: { kind: 'ModelDeclaration', name: ident(modelName, modelStart), members, range: { start: shift(modelStart, -6), end: shift(close, 1) } },
    inputs, ...(reconstructed ? { reconstructed } : {}), corruptions, ...(latent ? { latent } : {}), ...(output ? { output } : {}),
    heads, tensors, layerNames, nodes: latentNodes(latent, inputs), parameters: spec.parameters ?? [], evaluateConstant,
    locate: (range) => ({ line: range.start.line, column: range.start.column, endLine: range.end.line, endColumn: range.end.column }),
    parameterCount: { total: spec.parameterCount ?? 1000, trainable: spec.parameterCount ?? 1000 },
  };
  return { model, text: lines.join('\n') + '\n', ...(loss ? { loss } : {}), trains };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + separator.length)];
}

function calleeName(call: Call): string {
  return call.callee.kind === 'NameRef' ? call.callee.name : call.callee.member.name;
}

function activationOf(call: Call): ActivationSpec {
  const act = call.args.find((a) => a.name?.name === 'act')?.value;
  return activationSpec((act?.kind === 'NameRef' ? act.name : 'linear') as Activation);
}

function firstNumber(call: Call): number | undefined {
  return numberOf(call.args.find((a) => a.name === undefined)?.value);
}

function numberOf(e: Expression | undefined): number | undefined {
  return e?.kind === 'NumberLiteral' ? e.value : undefined;
}

function evaluate(e: Expression, lets: Record<string, ConstantValue>): ConstantValue | undefined {
  switch (e.kind) {
    case 'NumberLiteral':
    case 'StringLiteral':
    case 'BooleanLiteral':
      return e.value;
    case 'NameRef':
      return lets[e.name];
    case 'ParenExpression':
      return evaluate(e.expression, lets);
    case 'UnaryExpression': {
      const v = evaluate(e.operand, lets);
      return typeof v === 'number' ? (e.operator === '-' ? -v : v) : undefined;
    }
    case 'BinaryExpression': {
      const a = evaluate(e.left, lets);
      const b = evaluate(e.right, lets);
      if (typeof a !== 'number' || typeof b !== 'number') return undefined;
      return e.operator === '+' ? a + b : e.operator === '-' ? a - b : e.operator === '*' ? a * b : a / b;
    }
    default:
      return undefined;
  }
}

/** The usual starting point: an MNIST-sized dense autoencoder with a sigmoid output. */
export function mnistModel(overrides: ModelSpec = {}): BuiltModel {
  return buildModel({
    inputs: ['x: [784] in [0, 1]'],
    latent: 'z = dense(32, act = relu)',
    output: 'x_hat = sigmoid',
    loss: 'mse(x_hat, x)',
    ...overrides,
  });
}

/** The IR nodes the objective reads: a dense latent, which the contractive check walks, and a vq
 *  latent, whose input and `quantized` output vq_loss reads, each reading the tensor input straight
 *  (the factory builds no encoder nodes; a dense encoder would only lengthen the chain). */
function latentNodes(latent: CheckedLatent | undefined, inputs: CheckedModel['inputs']): IRNode[] {
  const input = inputs.find((i) => i.ir.kind === 'tensor');
  if (latent?.kind === 'vq' && input) {
    const attrs = { codes: latent.codes ?? 2, dim: latent.width ?? 1, commitment: latent.commitment ?? 0.25 };
    return [{ id: `latent.${latent.name}`, op: 'vector_quantize', inputs: [input.ir.name], attrs, shape: latent.shape, stage: 'latent' }];
  }
  if (!latent || latent.kind !== 'dense' || !input) return [];
  const attrs = { units: latent.width ?? 1, activation: latent.activation ?? activationSpec('linear'), useBias: true };
  return [{ id: `latent.${latent.name}`, op: 'dense', inputs: [input.ir.name], attrs, shape: latent.shape, stage: 'latent' }];
}

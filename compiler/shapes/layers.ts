// Every layer op, declared once: its arguments (types, defaults) beside its shape rule, its
// parameters and its IR attributes. The checker, the mirror, the summary and did-you-mean read this.
import type { DiagnosticCode } from '../../diagnostics/codes/index.js';
import type { ActivationSpec, Initializer, IROp, ParameterRole, Shape } from '../../ir/types.js';
import { activationNames, DEFAULT_LEAKY_ALPHA, kernelInitializerFor, LINEAR } from './activations.js';
import { elementCount, formatShape, lastDim, transposedOutput, windowOutput } from './dims.js';
import { activation, bool, dims, int, nonNegative, oneOf, pair, positive, probability, type BoundArgs, type Signature } from './signature.js';

export type ShapeResult = { shape: Shape } | { code: DiagnosticCode; message: string };

export interface ParamSpec {
  role: ParameterRole;
  shape: number[];
  init: Initializer;
  trainable: boolean;
}

/** Facts a rule may need beyond its input: the shape an unpool's switches came from. */
export interface ShapeContext {
  switchesInput?: Shape;
}

export interface LayerOp {
  signature: Signature;
  irOp: IROp;
  /** Has weights (dense, conv): counts as a layer for greedy pretraining and the mirror's activations. */
  weighted: boolean;
  infer(input: Shape, args: BoundArgs, context?: ShapeContext): ShapeResult;
  /** Parameters for a known input shape (never called after a shape error). */
  params(input: Shape, args: BoundArgs): ParamSpec[];
  attrs(input: Shape, args: BoundArgs): Record<string, unknown>;
  /** The activation fused into the layer, if any. */
  activation?(args: BoundArgs): ActivationSpec;
}

const fail = (code: DiagnosticCode, message: string): ShapeResult => ({ code, message });
const act = (args: BoundArgs) => (args.act as ActivationSpec | undefined) ?? LINEAR;
const padding = oneOf('same', 'valid');

function needsFlat(name: string, input: Shape): ShapeResult | undefined {
  if (input.length === 2) return undefined;
  return fail('AE3002', `\`${name}\` needs a flat input [n], but gets ${formatShape(input)}; add \`flatten\` before it`);
}

function needsImage(name: string, input: Shape): ShapeResult | undefined {
  if (input.length === 4) return undefined;
  return fail('AE3002', `\`${name}\` needs an image [height, width, channels], but gets ${formatShape(input)}`);
}

function positiveSizes(name: string, input: Shape, out: Shape, how: string): ShapeResult {
  if (out.slice(1).some((d) => d !== null && d < 1)) {
    return fail('AE3003', `\`${name}\` on ${formatShape(input)} ${how} gives ${formatShape(out)}: sizes must be ≥ 1`);
  }
  return { shape: out };
}

function convLike(name: 'conv2d' | 'deconv2d'): LayerOp {
  return {
    signature: {
      name,
      args: [
        { name: 'filters', type: int() },
        { name: 'kernel', type: pair, default: [3, 3] },
        { name: 'stride', type: pair, default: [1, 1] },
        { name: 'padding', type: padding, default: 'same' },
        { name: 'act', type: activation, default: LINEAR },
        { name: 'bias', type: bool, default: true },
      ],
    },
    irOp: name,
    weighted: true,
    infer(input, a) {
      const notImage = needsImage(name, input);
      if (notImage) return notImage;
      const [kh, kw] = a.kernel as [number, number];
      const [sh, sw] = a.stride as [number, number];
      const p = a.padding as 'same' | 'valid';
      const size = name === 'conv2d' ? windowOutput : transposedOutput;
      const out: Shape = [null, size(input[1]!, kh, sh, p), size(input[2]!, kw, sw, p), a.filters as number];
      return positiveSizes(name, input, out, `with kernel ${kh}x${kw}, stride ${sh}x${sw}, padding ${p}`);
    },
    params(input, a) {
      const [kh, kw] = a.kernel as [number, number];
      const inChannels = lastDim(input) ?? 0;
      const filters = a.filters as number;
      // conv2d kernels are [kh, kw, in, out]; deconv2d kernels [kh, kw, out, in] (see ir/types.ts).
      const kernel = name === 'conv2d' ? [kh, kw, inChannels, filters] : [kh, kw, filters, inChannels];
      const specs: ParamSpec[] = [{ role: 'kernel', shape: kernel, init: kernelInitializerFor(act(a)), trainable: true }];
      if (a.bias) specs.push({ role: 'bias', shape: [filters], init: 'zeros', trainable: true });
      return specs;
    },
    attrs: (_input, a) => ({ filters: a.filters, kernel: a.kernel, stride: a.stride, padding: a.padding, activation: act(a) }),
    activation: act,
  };
}

function sameShapeOp(signature: Signature, irOp: IROp, attrs: LayerOp['attrs'], params: LayerOp['params'] = () => []): LayerOp {
  return { signature, irOp, weighted: false, infer: (input) => ({ shape: input }), params, attrs };
}

function normalisationParams(input: Shape, withStatistics: boolean): ParamSpec[] {
  const channels = lastDim(input) ?? 0;
  const specs: ParamSpec[] = [
    { role: 'gamma', shape: [channels], init: 'ones', trainable: true },
    { role: 'beta', shape: [channels], init: 'zeros', trainable: true },
  ];
  if (withStatistics) {
    specs.push({ role: 'moving_mean', shape: [channels], init: 'zeros', trainable: false });
    specs.push({ role: 'moving_variance', shape: [channels], init: 'ones', trainable: false });
  }
  return specs;
}

const layerTable: Record<string, LayerOp> = {
  dense: {
    signature: {
      name: 'dense',
      args: [
        { name: 'units', type: int() },
        { name: 'act', type: activation, default: LINEAR },
        { name: 'bias', type: bool, default: true },
      ],
    },
    irOp: 'dense',
    weighted: true,
    infer: (input, a) => needsFlat('dense', input) ?? { shape: [null, a.units as number] },
    params(input, a) {
      const specs: ParamSpec[] = [
        { role: 'kernel', shape: [input[1] ?? 0, a.units as number], init: kernelInitializerFor(act(a)), trainable: true },
      ];
      if (a.bias) specs.push({ role: 'bias', shape: [a.units as number], init: 'zeros', trainable: true });
      return specs;
    },
    attrs: (_input, a) => ({ units: a.units, activation: act(a), useBias: a.bias }),
    activation: act,
  },
  conv2d: convLike('conv2d'),
  deconv2d: convLike('deconv2d'),
  maxpool: {
    signature: {
      name: 'maxpool',
      args: [
        { name: 'pool', type: pair, default: [2, 2] },
        { name: 'stride', type: pair, optional: true },
        { name: 'padding', type: padding, default: 'valid' },
      ],
    },
    irOp: 'maxpool',
    weighted: false,
    infer(input, a) {
      const notImage = needsImage('maxpool', input);
      if (notImage) return notImage;
      const [ph, pw] = a.pool as [number, number];
      const [sh, sw] = (a.stride as [number, number] | undefined) ?? [ph, pw];
      const p = a.padding as 'same' | 'valid';
      const out: Shape = [null, windowOutput(input[1]!, ph, sh, p), windowOutput(input[2]!, pw, sw, p), input[3]!];
      return positiveSizes('maxpool', input, out, `with pool ${ph}x${pw}, padding ${p}`);
    },
    params: () => [],
    attrs: (_input, a) => ({ pool: a.pool, stride: a.stride ?? a.pool, padding: a.padding }),
  },
  unpool: {
    signature: {
      name: 'unpool',
      args: [
        { name: 'pool', type: pair, default: [2, 2] },
        { name: 'mode', type: oneOf('switches', 'fill'), default: 'switches' },
      ],
    },
    irOp: 'unpool',
    weighted: false,
    infer(input, a, context) {
      const notImage = needsImage('unpool', input);
      if (notImage) return notImage;
      // With switches the values go back where the maxpool found them: its input's size, which
      // differs from k·n when the pooled size was odd.
      if (a.mode === 'switches' && context?.switchesInput) return { shape: [null, ...context.switchesInput.slice(1, 3), input[3]!] };
      const [ph, pw] = a.pool as [number, number];
      return { shape: [null, input[1]! === null ? null : input[1]! * ph, input[2]! === null ? null : input[2]! * pw, input[3]!] };
    },
    params: () => [],
    attrs: (_input, a) => ({ pool: a.pool, mode: a.mode }),
  },
  upsample: {
    signature: { name: 'upsample', args: [{ name: 'factor', type: pair, default: [2, 2] }] },
    irOp: 'upsample',
    weighted: false,
    infer(input, a) {
      const notImage = needsImage('upsample', input);
      if (notImage) return notImage;
      const [fh, fw] = a.factor as [number, number];
      return { shape: [null, input[1]! === null ? null : input[1]! * fh, input[2]! === null ? null : input[2]! * fw, input[3]!] };
    },
    params: () => [],
    attrs: (_input, a) => ({ factor: a.factor }),
  },
  flatten: {
    signature: { name: 'flatten', args: [] },
    irOp: 'flatten',
    weighted: false,
    infer: (input) => ({ shape: [null, elementCount(input)] }),
    params: () => [],
    attrs: () => ({}),
  },
  reshape: {
    signature: { name: 'reshape', args: [{ name: 'target', type: dims }] },
    irOp: 'reshape',
    weighted: false,
    infer(input, a) {
      const target = a.target as number[];
      const count = elementCount(input);
      const fixed = target.filter((d) => d !== -1).reduce((x, y) => x * y, 1);
      if (target.includes(-1)) {
        if (count === null) return { shape: [null, ...target.map((d) => (d === -1 ? null : d))] };
        if (count % fixed !== 0) return fail('AE3004', `cannot reshape ${formatShape(input)} (${count} values) into [${target.join(', ')}]`);
        return { shape: [null, ...target.map((d) => (d === -1 ? count / fixed : d))] };
      }
      if (count !== null && count !== fixed) {
        return fail('AE3004', `cannot reshape ${formatShape(input)} (${count} values) into [${target.join(', ')}] (${fixed} values)`);
      }
      return { shape: [null, ...target] };
    },
    params: () => [],
    attrs: (input, a) => {
      const count = elementCount(input) ?? 0;
      const target = a.target as number[];
      const fixed = target.filter((d) => d !== -1).reduce((x, y) => x * y, 1);
      return { target: target.map((d) => (d === -1 ? count / fixed : d)) };
    },
  },
  dropout: sameShapeOp({ name: 'dropout', args: [{ name: 'p', type: probability }] }, 'dropout', (_i, a) => ({ rate: a.p })),
  batchnorm: sameShapeOp(
    {
      name: 'batchnorm',
      args: [
        { name: 'momentum', type: probability, default: 0.99 },
        { name: 'epsilon', type: positive, default: 0.001 },
      ],
    },
    'batchnorm',
    (_i, a) => ({ momentum: a.momentum, epsilon: a.epsilon }),
    (input) => normalisationParams(input, true),
  ),
  layernorm: sameShapeOp(
    { name: 'layernorm', args: [{ name: 'epsilon', type: positive, default: 0.001 }] },
    'layernorm',
    (_i, a) => ({ epsilon: a.epsilon }),
    (input) => normalisationParams(input, false),
  ),
};

// Every activation is also a layer of its own.
for (const fn of activationNames) {
  const args = fn === 'leaky_relu' ? [{ name: 'alpha', type: nonNegative, default: DEFAULT_LEAKY_ALPHA }] : [];
  layerTable[fn] = {
    ...sameShapeOp({ name: fn, args }, 'activation', (_i, a) => (fn === 'leaky_relu' ? { fn, alpha: a.alpha } : { fn })),
    activation: (a) => (fn === 'leaky_relu' ? { fn, alpha: a.alpha as number } : { fn }),
  };
}

export const layerOps: Readonly<Record<string, LayerOp>> = Object.freeze(layerTable);
export const layerNames: readonly string[] = Object.freeze(Object.keys(layerTable));

export function layerOp(name: string): LayerOp | undefined {
  return Object.prototype.hasOwnProperty.call(layerOps, name) ? layerOps[name] : undefined;
}


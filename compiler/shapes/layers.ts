// Every layer op, declared once: its arguments (types, defaults), shape rule, parameters and
// initialisers, IR attributes (typed by ir/ops.ts), mirror rule and a one-line doc. The checker,
// the mirror, the summary and did-you-mean read this; the runtime lowers the IR op it names.
import type { DiagnosticCode } from '../../diagnostics/codes/index.js';
import { message } from '../../diagnostics/message.js';
import type { ActivationSpec, Initializer, IRAttrs, IROpAttrs, ParameterRole, Shape } from '../../ir/types.js';
import { activationDocs, activationNames, DEFAULT_LEAKY_ALPHA, LINEAR, weightInitializers } from './activations.js';
import { elementCount, formatShape, lastDim, transposedOutput, windowOutput } from './dims.js';
import { activation, bool, dims, int, nonNegative, oneOf, pair, positive, probability, type BoundArgs, type Signature } from './signature.js';
import { needsSequence, sequenceLayers } from './sequences.js';
import { ruleParams } from './rule-params.js';

export type ShapeResult =
  | { shape: Shape }
  | {
      code: DiagnosticCode;
      message: string;
      notes?: string[];
      /** A fix that appends this argument to the call (`per_step = true`). */
      appendArgument?: { text: string; message: string };
    };

export interface ParamSpec {
  role: ParameterRole;
  shape: number[];
  init: Initializer;
  trainable: boolean;
}

/** Facts a rule may need beyond its input: the maxpool an unpool takes its switches from. */
export interface ShapeContext {
  switches?: { from: string; inputShape: Shape };
}

/** The layer that undoes one in `mirror(encoder)`, by LANGUAGE.md section 4. */
export interface MirrorRule {
  op: string;
  args: BoundArgs;
  /** Tied mirrors share the kernel (dense: transposed). */
  tieKernel?: { transpose: boolean };
  /** An unpool that takes its switches from the mirrored maxpool. */
  switches?: boolean;
}

/** What a mirror rule knows of the layer it undoes. */
export interface Mirrored {
  args: BoundArgs;
  /** The shape the layer read, which its mirror gives back. */
  inputShape: Shape;
  /** The activation the mirror takes: that of the nearest layer before with one, else linear. */
  act: ActivationSpec;
}

export interface LayerOp {
  doc: string;
  signature: Signature;
  /** Has weights (dense, conv): counts as a layer for greedy pretraining and the mirror's activations. */
  weighted: boolean;
  infer(input: Shape, args: BoundArgs, context?: ShapeContext): ShapeResult;
  /** Parameters for a known input shape (never called after a shape error). */
  params(input: Shape, args: BoundArgs): ParamSpec[];
  /** The IR op and its attributes (typed by ir/ops.ts) for a known input shape. */
  ir(input: Shape, args: BoundArgs, context?: ShapeContext): IROpAttrs;
  /** The activation fused into the layer, if any. */
  activation?(args: BoundArgs): ActivationSpec;
  /** Absent: the layer has no mirror of its own (a standalone activation moves into the mirrored
   *  weighted layers, see compiler/check/mirror.ts). Several rules: layers run in that order, the
   *  last giving the input shape back (a recurrent layer: repeat_vector, itself, a per-step dense). */
  mirror?(layer: Mirrored): MirrorRule | MirrorRule[];
  /** Why `mirror(encoder, tied = true)` cannot share this layer's weights (a located error). */
  tieRefusal?: string;
}

const fail = (code: DiagnosticCode, message: string, notes?: string[]): ShapeResult => ({ code, message, ...(notes ? { notes } : {}) });
const act = (args: BoundArgs) => (args.act as ActivationSpec | undefined) ?? LINEAR;
const padding = oneOf('same', 'valid');
type Padding = IRAttrs['conv2d']['padding'];

function needsFlat(name: string, input: Shape): ShapeResult | undefined {
  if (input.length === 2) return undefined;
  const failure = fail('AE3002', message('AE3002', { layer: name, expected: 'a flat input [n]', actual: formatShape(input) }), [
    input.length === 3 ? 'add `per_step = true` to apply it to every step ([t, c] → [t, n]), or `flatten` before it' : 'add `flatten` before it',
  ]);
  // On a sequence the likely intent is the per-step dense (LANGUAGE.md section 10): offered as a fix.
  return input.length === 3 && name === 'dense' ? { ...failure, appendArgument: { text: 'per_step = true', message: 'apply it to every step' } } : failure;
}

function needsImage(name: string, input: Shape): ShapeResult | undefined {
  if (input.length === 4) return undefined;
  return fail('AE3002', message('AE3002', { layer: name, expected: 'an image [height, width, channels]', actual: formatShape(input) }));
}

function positiveSizes(name: string, input: Shape, out: Shape, how: string): ShapeResult {
  if (out.slice(1).some((d) => d !== null && d < 1)) {
    return fail('AE3003', `\`${name}\` on ${formatShape(input)} ${how} gives ${formatShape(out)}: sizes must be ≥ 1`);
  }
  return { shape: out };
}

function convLike(name: 'conv2d' | 'deconv2d', doc: string): LayerOp {
  return {
    doc,
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
      // conv2d kernels are [kh, kw, in, out]; deconv2d kernels [kh, kw, out, in] (ir/op-rules.ts).
      return ruleParams(this.ir(input, a), input, weightInitializers(act(a), a.bias));
    },
    ir(_input, a) {
      const attrs = { filters: a.filters as number, kernel: a.kernel as [number, number], stride: a.stride as [number, number], padding: a.padding as Padding, activation: act(a) };
      return name === 'conv2d' ? { op: 'conv2d', attrs } : { op: 'deconv2d', attrs };
    },
    activation: act,
    mirror: ({ args, inputShape, act }) => ({
      op: name === 'conv2d' ? 'deconv2d' : 'conv2d',
      args: { filters: inputShape[3]!, kernel: args.kernel!, stride: args.stride!, padding: args.padding!, act, bias: args.bias! },
      tieKernel: { transpose: false },
    }),
  };
}

/** Pooling layers: windows of `pool` moved by `stride` (the pool when not given). */
function poolSignature(name: string): Signature {
  return {
    name,
    args: [
      { name: 'pool', type: pair, default: [2, 2] },
      { name: 'stride', type: pair, optional: true },
      { name: 'padding', type: padding, default: 'valid' },
    ],
  };
}

/** On a sequence a window is one size `k` (a pair [k, k] as bound): [k, j] with j ≠ k is refused. */
function steps(name: string, what: string, input: Shape, value: unknown): number | ShapeResult {
  const [k, j] = value as [number, number];
  if (k === j) return k;
  return fail('AE3002', message('AE3002', { layer: name, expected: `one ${what} size k on a sequence`, actual: `[${k}, ${j}] on ${formatShape(input)}` }), [`write \`${name}(${k})\``]);
}

function pooledSequence(name: string, input: Shape, a: BoundArgs): ShapeResult {
  const pool = steps(name, 'pool', input, a.pool);
  if (typeof pool !== 'number') return pool;
  const stride = steps(name, 'stride', input, a.stride ?? a.pool);
  if (typeof stride !== 'number') return stride;
  const p = a.padding as Padding;
  return positiveSizes(name, input, [null, windowOutput(input[1]!, pool, stride, p), input[2]!], `with pool ${pool}, padding ${p}`);
}

function pooledShape(name: string, input: Shape, a: BoundArgs): ShapeResult {
  if (input.length === 3) return pooledSequence(name, input, a);
  const notImage = needsImage(name, input);
  if (notImage) return notImage;
  const [ph, pw] = a.pool as [number, number];
  const [sh, sw] = (a.stride as [number, number] | undefined) ?? [ph, pw];
  const p = a.padding as Padding;
  const out: Shape = [null, windowOutput(input[1]!, ph, sh, p), windowOutput(input[2]!, pw, sw, p), input[3]!];
  return positiveSizes(name, input, out, `with pool ${ph}x${pw}, padding ${p}`);
}

const poolAttrs = (a: BoundArgs) => ({ pool: a.pool as [number, number], stride: (a.stride ?? a.pool) as [number, number], padding: a.padding as Padding });
const poolAttrs1d = (a: BoundArgs) => ({ pool: (a.pool as number[])[0]!, stride: ((a.stride ?? a.pool) as number[])[0]!, padding: a.padding as Padding });

/** A layer that keeps its input's shape and is its own mirror. */
function sameShapeOp(doc: string, signature: Signature, ir: LayerOp['ir'], params: LayerOp['params'] = () => []): LayerOp {
  return { doc, signature, weighted: false, infer: (input) => ({ shape: input }), params, ir, mirror: ({ args }) => ({ op: signature.name, args }) };
}

function normalisationParams(ir: IROpAttrs, input: Shape, withStatistics: boolean): ParamSpec[] {
  const statistics = { moving_mean: { init: 'zeros', trainable: false }, moving_variance: { init: 'ones', trainable: false } } as const;
  return ruleParams(ir, input, { gamma: 'ones', beta: 'zeros', ...(withStatistics ? statistics : {}) });
}

const layerTable: Record<string, LayerOp> = {
  dense: {
    doc: 'Fully connected layer of `units` units; mirrored as a dense layer back to its input width.',
    signature: {
      name: 'dense',
      args: [
        { name: 'units', type: int() },
        { name: 'act', type: activation, default: LINEAR },
        { name: 'bias', type: bool, default: true },
        // On a sequence [t, c]: one kernel [c, units] for every step (Keras's TimeDistributed(Dense)).
        { name: 'per_step', type: bool, default: false },
      ],
    },
    weighted: true,
    infer(input, a) {
      if (a.per_step) return needsSequence('dense', input) ?? { shape: [null, input[1]!, a.units as number] };
      return needsFlat('dense', input) ?? { shape: [null, a.units as number] };
    },
    params(input, a) {
      return ruleParams(this.ir(input, a), input, weightInitializers(act(a), a.bias));
    },
    ir: (_input, a) => {
      const attrs = { units: a.units as number, activation: act(a), useBias: a.bias as boolean };
      return a.per_step ? { op: 'dense_per_step', attrs } : { op: 'dense', attrs };
    },
    activation: act,
    mirror: ({ args, inputShape, act }) => ({
      op: 'dense',
      args: { units: lastDim(inputShape)!, act, bias: args.bias!, per_step: args.per_step! },
      tieKernel: { transpose: true },
    }),
  },
  conv2d: convLike('conv2d', '2-D convolution over an NHWC image; mirrored as `deconv2d` back to the input channels.'),
  deconv2d: convLike('deconv2d', 'Transposed convolution ("deconvolution"); mirrored as `conv2d`.'),
  maxpool: {
    doc: 'Max pooling (stride defaults to the pool); records where each maximum came from (the switches) for its mirror, an `unpool`.',
    signature: poolSignature('maxpool'),
    weighted: false,
    infer: (input, a) => pooledShape('maxpool', input, a),
    params: () => [],
    ir: (input, a) => (input.length === 3 ? { op: 'maxpool1d', attrs: poolAttrs1d(a) } : { op: 'maxpool', attrs: poolAttrs(a) }),
    mirror: ({ args }) => ({ op: 'unpool', args: { pool: args.pool!, mode: 'switches' }, switches: true }),
  },
  avgpool: {
    doc: 'Average over each pool window (stride defaults to the pool); mirrored as `upsample`.',
    signature: poolSignature('avgpool'),
    weighted: false,
    infer: (input, a) => pooledShape('avgpool', input, a),
    params: () => [],
    ir: (input, a) => (input.length === 3 ? { op: 'avgpool1d', attrs: poolAttrs1d(a) } : { op: 'avgpool', attrs: poolAttrs(a) }),
    mirror: ({ args }) => ({ op: 'upsample', args: { factor: args.pool! } }),
  },
  unpool: {
    doc: 'Undoes a `maxpool`: `switches` puts each value back where its maximum was, `fill` fills the window.',
    signature: {
      name: 'unpool',
      args: [
        { name: 'pool', type: pair, default: [2, 2] },
        { name: 'mode', type: oneOf('switches', 'fill'), default: 'switches' },
      ],
    },
    weighted: false,
    infer(input, a, context) {
      if (input.length === 3) {
        const k = steps('unpool', 'pool', input, a.pool);
        if (typeof k !== 'number') return k;
        if (a.mode === 'switches' && context?.switches) return { shape: [null, context.switches.inputShape[1]!, input[2]!] };
        return { shape: [null, input[1]! === null ? null : input[1]! * k, input[2]!] };
      }
      const notImage = needsImage('unpool', input);
      if (notImage) return notImage;
      // With switches the values go back where the maxpool found them: its input's size, which
      // differs from k·n when the pooled size was odd.
      if (a.mode === 'switches' && context?.switches) return { shape: [null, ...context.switches.inputShape.slice(1, 3), input[3]!] };
      const [ph, pw] = a.pool as [number, number];
      return { shape: [null, input[1]! === null ? null : input[1]! * ph, input[2]! === null ? null : input[2]! * pw, input[3]!] };
    },
    params: () => [],
    // With switches the node also reads the maxpool's `switches` output (compiler/check/graph.ts).
    ir: (input, a) => (input.length === 3 ? {
      op: 'unpool1d',
      attrs: { pool: (a.pool as number[])[0]!, mode: a.mode as 'switches' | 'fill' },
    } : {
      op: 'unpool',
      attrs: { pool: a.pool as [number, number], mode: a.mode as 'switches' | 'fill' },
    }),
    mirror: ({ args }) => ({ op: 'maxpool', args: { pool: args.pool!, padding: 'valid' } }),
  },
  upsample: {
    doc: 'Nearest-neighbour upsampling by `factor`; mirrored as `maxpool`.',
    signature: { name: 'upsample', args: [{ name: 'factor', type: pair, default: [2, 2] }] },
    weighted: false,
    infer(input, a) {
      if (input.length === 3) {
        const k = steps('upsample', 'factor', input, a.factor);
        if (typeof k !== 'number') return k;
        return { shape: [null, input[1]! === null ? null : input[1]! * k, input[2]!] };
      }
      const notImage = needsImage('upsample', input);
      if (notImage) return notImage;
      const [fh, fw] = a.factor as [number, number];
      return { shape: [null, input[1]! === null ? null : input[1]! * fh, input[2]! === null ? null : input[2]! * fw, input[3]!] };
    },
    params: () => [],
    ir: (input, a) => (input.length === 3 ? { op: 'upsample1d', attrs: { factor: (a.factor as number[])[0]! } } : { op: 'upsample', attrs: { factor: a.factor as [number, number] } }),
    mirror: ({ args }) => ({ op: 'maxpool', args: { pool: args.factor!, padding: 'valid' } }),
  },
  flatten: {
    doc: 'Flattens an image to a vector; mirrored as `reshape` back to the image.',
    signature: { name: 'flatten', args: [] },
    weighted: false,
    infer: (input) => ({ shape: [null, elementCount(input)] }),
    params: () => [],
    ir: () => ({ op: 'flatten', attrs: {} }),
    mirror: ({ inputShape }) => ({ op: 'reshape', args: { target: inputShape.slice(1) as number[] } }),
  },
  reshape: {
    doc: 'Reshapes to `target` (one size may be -1, inferred); mirrored as `flatten`.',
    signature: { name: 'reshape', args: [{ name: 'target', type: dims }] },
    weighted: false,
    infer(input, a) {
      const target = a.target as number[];
      const count = elementCount(input);
      const fixed = target.filter((d) => d !== -1).reduce((x, y) => x * y, 1);
      if (target.includes(-1)) {
        if (count === null) return { shape: [null, ...target.map((d) => (d === -1 ? null : d))] };
        if (count % fixed !== 0) return fail('AE3004', message('AE3004', { input: formatShape(input), count, target: `[${target.join(', ')}]`, reason: `${count} is not a multiple of ${fixed}` }));
        return { shape: [null, ...target.map((d) => (d === -1 ? count / fixed : d))] };
      }
      if (count !== null && count !== fixed) {
        return fail('AE3004', message('AE3004', { input: formatShape(input), count, target: `[${target.join(', ')}]`, reason: `that holds ${fixed} values` }));
      }
      return { shape: [null, ...target] };
    },
    params: () => [],
    ir: (input, a) => {
      const count = elementCount(input) ?? 0;
      const target = a.target as number[];
      const fixed = target.filter((d) => d !== -1).reduce((x, y) => x * y, 1);
      return { op: 'reshape', attrs: { target: target.map((d) => (d === -1 ? count / fixed : d)) } };
    },
    mirror: ({ inputShape }): MirrorRule => (inputShape.length === 2 ? { op: 'flatten', args: {} } : { op: 'reshape', args: { target: inputShape.slice(1) as number[] } }),
  },
  dropout: sameShapeOp('Zeroes a fraction `p` of values during training.', { name: 'dropout', args: [{ name: 'p', type: probability }] }, (_i, a) => ({
    op: 'dropout',
    attrs: { rate: a.p as number },
  })),
  batchnorm: sameShapeOp(
    'Batch normalisation, with moving statistics for inference.',
    {
      name: 'batchnorm',
      args: [
        { name: 'momentum', type: probability, default: 0.99 },
        { name: 'epsilon', type: positive, default: 0.001 },
      ],
    },
    (_i, a) => ({ op: 'batchnorm', attrs: { momentum: a.momentum as number, epsilon: a.epsilon as number } }),
    (input, a) => normalisationParams({ op: 'batchnorm', attrs: { momentum: a.momentum as number, epsilon: a.epsilon as number } }, input, true),
  ),
  layernorm: sameShapeOp(
    'Layer normalisation over the last dimension.',
    { name: 'layernorm', args: [{ name: 'epsilon', type: positive, default: 0.001 }] },
    (_i, a) => ({ op: 'layernorm', attrs: { epsilon: a.epsilon as number } }),
    (input, a) => normalisationParams({ op: 'layernorm', attrs: { epsilon: a.epsilon as number } }, input, false),
  ),
};

Object.assign(layerTable, sequenceLayers);

// Every activation is also a layer of its own; it has no mirror of its own (see LayerOp.mirror).
for (const fn of activationNames) {
  const args = fn === 'leaky_relu' ? [{ name: 'alpha', type: nonNegative, default: DEFAULT_LEAKY_ALPHA }] : [];
  const spec = (a: BoundArgs): ActivationSpec => (fn === 'leaky_relu' ? { fn, alpha: a.alpha as number } : { fn });
  layerTable[fn] = {
    doc: activationDocs[fn],
    signature: { name: fn, args },
    weighted: false,
    infer: (input) => ({ shape: input }),
    params: () => [],
    ir: (_i, a) => ({ op: 'activation', attrs: spec(a) }),
    activation: spec,
  };
}

export const layerOps: Readonly<Record<string, LayerOp>> = Object.freeze(layerTable);
export const layerNames: readonly string[] = Object.freeze(Object.keys(layerTable));

export function layerOp(name: string): LayerOp | undefined {
  return Object.prototype.hasOwnProperty.call(layerOps, name) ? layerOps[name] : undefined;
}

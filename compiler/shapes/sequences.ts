// Layer ops over sequences [t, c] (t steps of c channels, Keras's NWC), LANGUAGE.md section 10:
// 1-D convolutions, recurrent layers and repeat_vector. Parameter shapes are Keras's, so the counts
// are too: Conv1D k·c·f + f; LSTM 4·(u·(c + u) + u); GRU (reset_after, Keras 2+'s default)
// 3·(u·(c + u) + 2·u); RepeatVector 0. Pooling and the per-step dense are layers.ts's ops, which
// take sequences as well.
import { message } from '../../diagnostics/message.js';
import type { ActivationSpec, Shape } from '../../ir/types.js';
import { LINEAR, weightInitializers } from './activations.js';
import { formatShape, transposedOutput, windowOutput } from './dims.js';
import type { LayerOp, MirrorRule, ShapeResult } from './layers.js';
import { activation, bool, int, oneOf, type BoundArgs } from './signature.js';
import { ruleParams } from './rule-params.js';
import { thousands } from '../../diagnostics/numbers.js';

const act = (args: BoundArgs) => (args.act as ActivationSpec | undefined) ?? LINEAR;

/** A sequence [t, c], else AE3002 (with a way there from what it got). */
export function needsSequence(name: string, input: Shape): ShapeResult | undefined {
  if (input.length === 3) return undefined;
  const notes = input.length === 2 ? ['a vector becomes a sequence with `repeat_vector(t)`'] : input.length === 4 ? ['an image is [h, w, c]; a sequence is [t, c]: reshape it'] : [];
  return { code: 'AE3002', message: message('AE3002', { layer: name, expected: 'a sequence [steps, channels]', actual: formatShape(input) }), notes };
}

function positiveLength(name: string, input: Shape, out: Shape, how: string): ShapeResult {
  if (out[1] !== null && out[1]! < 1) {
    return { code: 'AE3003', message: `\`${name}\` on ${formatShape(input)} ${how} gives ${formatShape(out)}: sizes must be ≥ 1` };
  }
  return { shape: out };
}

function conv1dLike(name: 'conv1d' | 'deconv1d', doc: string): LayerOp {
  return {
    doc,
    signature: {
      name,
      args: [
        { name: 'filters', type: int() },
        { name: 'kernel', type: int(), default: 3 },
        { name: 'stride', type: int(), default: 1 },
        { name: 'padding', type: oneOf('same', 'valid'), default: 'same' },
        { name: 'act', type: activation, default: LINEAR },
        { name: 'bias', type: bool, default: true },
      ],
    },
    weighted: true,
    infer(input, a) {
      const notSequence = needsSequence(name, input);
      if (notSequence) return notSequence;
      const [k, s, p] = [a.kernel as number, a.stride as number, a.padding as 'same' | 'valid'];
      const size = name === 'conv1d' ? windowOutput : transposedOutput;
      return positiveLength(name, input, [null, size(input[1]!, k, s, p), a.filters as number], `with kernel ${k}, stride ${s}, padding ${p}`);
    },
    params(input, a) {
      // conv1d kernels are [k, in, out] (Keras's Conv1D); deconv1d kernels [k, out, in], so a
      // deconv1d mirroring a conv1d reads the very same tensor (as conv2d ↔ deconv2d; ir/op-rules.ts).
      return ruleParams(this.ir(input, a), input, weightInitializers(act(a), a.bias));
    },
    ir(_input, a) {
      const attrs = { filters: a.filters as number, kernel: a.kernel as number, stride: a.stride as number, padding: a.padding as 'same' | 'valid', activation: act(a) };
      return name === 'conv1d' ? { op: 'conv1d', attrs } : { op: 'deconv1d', attrs };
    },
    activation: act,
    mirror: ({ args, inputShape, act }) => ({
      op: name === 'conv1d' ? 'deconv1d' : 'conv1d',
      args: { filters: inputShape[2]!, kernel: args.kernel!, stride: args.stride!, padding: args.padding!, act, bias: args.bias! },
      tieKernel: { transpose: false },
    }),
  };
}

/** Steps past which a recurrent layer is warned about (AE5011): the runtime unrolls every step and
 *  keeps its tensors until the backward pass, so time and memory grow with the steps (about 64 KB a
 *  step before the batch's states; runtime/train/unrolled-memory.ts), and `ae train` refuses a step
 *  that cannot fit. docs/language.md gives the number. */
export const MAX_RECURRENT_STEPS = 1_000;

/** AE5011's message and notes when `lstm`/`gru` reads more than MAX_RECURRENT_STEPS steps. */
export function longRecurrence(opName: string, input: Shape): { message: string; notes: string[] } | undefined {
  if (opName !== 'lstm' && opName !== 'gru') return undefined;
  const steps = input.length === 3 ? input[1] : null;
  if (steps === null || steps === undefined || steps <= MAX_RECURRENT_STEPS) return undefined;
  return {
    message: `\`${opName}\` runs over ${thousands(steps)} steps, more than ${thousands(MAX_RECURRENT_STEPS)}: training unrolls every step and keeps its tensors for the backward pass, so it is slow and its memory grows with the steps`,
    notes: [
      `read the series in windows of fewer steps: \`input x: [100, ${input[2] ?? 'c'}]\` with \`data = csv(path, window = 100)\``,
      'or shorten the steps before the recurrent layer, with a strided `conv1d` or a `maxpool`; `ae train` refuses a step that cannot fit in memory',
    ],
  };
}

/** LSTM (4 gates) and GRU (3 gates, two biases: reset after, as Keras 2+ and cuDNN). */
function recurrent(name: 'lstm' | 'gru', gates: number, doc: string): LayerOp {
  return {
    doc,
    signature: {
      name,
      args: [
        { name: 'units', type: int() },
        { name: 'sequences', type: bool, default: false },
      ],
    },
    weighted: true,
    tieRefusal: 'it reads its steps in order with a recurrent kernel of its own, so no layer of its mirror can share its weights',
    infer(input, a) {
      const notSequence = needsSequence(name, input);
      if (notSequence) return notSequence;
      const units = a.units as number;
      return { shape: a.sequences ? [null, input[1]!, units] : [null, units] };
    },
    params(input, a) {
      // Keras initialises the recurrent kernel orthogonally; aelang draws it Glorot-uniform
      // (docs/language.md says so): the shapes (ir/op-rules.ts), hence the counts, are Keras's.
      return ruleParams(this.ir(input, a), input, { kernel: 'glorot_uniform', recurrent_kernel: 'glorot_uniform', bias: 'zeros' });
    },
    ir: (_input, a) => ({ op: name, attrs: { units: a.units as number, sequences: a.sequences as boolean } }),
    // Back to the steps it read: a code becomes a sequence again (repeat_vector), the same recurrent
    // layer runs over it, and a per-step dense gives the channels back (LANGUAGE.md section 10).
    mirror({ args, inputShape, act }): MirrorRule[] {
      const back: MirrorRule[] = [
        { op: name, args: { units: args.units!, sequences: true } },
        { op: 'dense', args: { units: inputShape[2]!, act, bias: true, per_step: true } },
      ];
      return args.sequences ? back : [{ op: 'repeat_vector', args: { steps: inputShape[1]! } }, ...back];
    },
  };
}

export const sequenceLayers: Record<string, LayerOp> = {
  conv1d: conv1dLike('conv1d', '1-D convolution over the steps of a sequence [t, c]; mirrored as `deconv1d` back to the input channels.'),
  deconv1d: conv1dLike('deconv1d', 'Transposed 1-D convolution over the steps; mirrored as `conv1d`.'),
  lstm: recurrent('lstm', 4, 'LSTM over the steps of [t, c]: the last state [units], or every step [t, units] with `sequences = true`.'),
  gru: recurrent('gru', 3, 'GRU (reset after, as Keras) over the steps of [t, c]: the last state [units], or [t, units] with `sequences = true`.'),
  repeat_vector: {
    doc: 'Repeats a vector [n] over `steps` steps, [steps, n]: how a decoder starts a sequence from a code.',
    signature: { name: 'repeat_vector', args: [{ name: 'steps', type: int() }] },
    weighted: false,
    infer(input, a) {
      if (input.length !== 2) {
        return { code: 'AE3002', message: message('AE3002', { layer: 'repeat_vector', expected: 'a vector [n]', actual: formatShape(input) }), notes: ['add `flatten` before it'] };
      }
      return { shape: [null, a.steps as number, input[1]!] };
    },
    params: () => [],
    ir: (_input, a) => ({ op: 'repeat_vector', attrs: { steps: a.steps as number } }),
  },
};

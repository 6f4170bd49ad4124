// The corruptions of LANGUAGE.md section 6 (training only, the target stays clean): arguments and
// IR attributes side by side. Every corruption keeps its input's shape.
import type { IROpAttrs } from '../../ir/types.js';
import { anyNumber, nonNegative, probability, type BoundArgs, type Signature } from './signature.js';
import type { MessageValues } from '../../diagnostics/message.js';

export interface CorruptionOp {
  doc: string;
  signature: Signature;
  /** The IR op and its attributes (typed by ir/ops.ts). */
  ir(args: BoundArgs): IROpAttrs;
  /** A problem with the arguments together (AE3009), beyond each argument's type. */
  check?(args: BoundArgs): MessageValues<'AE3009'> | undefined;
}

export const corruptionOps: Readonly<Record<string, CorruptionOp>> = Object.freeze({
  gaussian: {
    doc: 'Adds Gaussian noise of standard deviation `std` (training only).',
    signature: { name: 'gaussian', args: [{ name: 'std', type: nonNegative }] },
    ir: (a) => ({ op: 'corrupt_gaussian', attrs: { std: a.std as number } }),
  },
  mask: {
    doc: 'Zeroes a fraction `p` of the inputs (training only).',
    signature: { name: 'mask', args: [{ name: 'p', type: probability }] },
    ir: (a) => ({ op: 'corrupt_mask', attrs: { rate: a.p as number } }),
  },
  salt_pepper: {
    doc: 'Sets a fraction `p` of the inputs to `low` or `high` (training only).',
    signature: {
      name: 'salt_pepper',
      args: [
        { name: 'p', type: probability },
        { name: 'low', type: anyNumber, default: 0 },
        { name: 'high', type: anyNumber, default: 1 },
      ],
    },
    ir: (a) => ({ op: 'corrupt_salt_pepper', attrs: { rate: a.p as number, low: a.low as number, high: a.high as number } }),
  },
  dropout: {
    doc: 'Dropout on the input, kept values scaled by 1/(1-p) (training only).',
    signature: { name: 'dropout', args: [{ name: 'p', type: probability }] },
    ir: (a) => ({ op: 'corrupt_dropout', attrs: { rate: a.p as number } }),
  },
  clip: {
    doc: 'Clips the corrupted input back into [low, high].',
    signature: {
      name: 'clip',
      args: [
        { name: 'low', type: anyNumber },
        { name: 'high', type: anyNumber },
      ],
    },
    ir: (a) => ({ op: 'clip', attrs: { low: a.low as number, high: a.high as number } }),
    check: (a) => ((a.low as number) > (a.high as number) ? { what: 'the range of `clip`', expected: 'low ≤ high', actual: `[${a.low}, ${a.high}]` } : undefined),
  },
});

export const corruptionNames: readonly string[] = Object.freeze(Object.keys(corruptionOps));

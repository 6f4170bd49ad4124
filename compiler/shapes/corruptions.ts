// The corruptions of LANGUAGE.md section 6 (training only, the target stays clean): arguments and
// IR attributes side by side. Every corruption keeps its input's shape.
import type { IROp } from '../../ir/types.js';
import { anyNumber, nonNegative, probability, type BoundArgs, type Signature } from './signature.js';

export interface CorruptionOp {
  signature: Signature;
  irOp: IROp;
  attrs(args: BoundArgs): Record<string, unknown>;
}

export const corruptionOps: Readonly<Record<string, CorruptionOp>> = Object.freeze({
  gaussian: {
    signature: { name: 'gaussian', args: [{ name: 'std', type: nonNegative }] },
    irOp: 'corrupt_gaussian',
    attrs: (a) => ({ std: a.std }),
  },
  mask: {
    signature: { name: 'mask', args: [{ name: 'p', type: probability }] },
    irOp: 'corrupt_mask',
    attrs: (a) => ({ rate: a.p }),
  },
  salt_pepper: {
    signature: {
      name: 'salt_pepper',
      args: [
        { name: 'p', type: probability },
        { name: 'low', type: anyNumber, default: 0 },
        { name: 'high', type: anyNumber, default: 1 },
      ],
    },
    irOp: 'corrupt_salt_pepper',
    attrs: (a) => ({ rate: a.p, low: a.low, high: a.high }),
  },
  dropout: {
    signature: { name: 'dropout', args: [{ name: 'p', type: probability }] },
    irOp: 'corrupt_dropout',
    attrs: (a) => ({ rate: a.p }),
  },
  clip: {
    signature: {
      name: 'clip',
      args: [
        { name: 'low', type: anyNumber },
        { name: 'high', type: anyNumber },
      ],
    },
    irOp: 'clip',
    attrs: (a) => ({ low: a.low, high: a.high }),
  },
});

export const corruptionNames: readonly string[] = Object.freeze(Object.keys(corruptionOps));

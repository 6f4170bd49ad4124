// The latent kinds of LANGUAGE.md section 5 and their arguments. How each becomes nodes (two dense
// heads and a sampler for gaussian, a codebook for vq, ...) is in compiler/check/latent.ts.
import { LINEAR } from './activations.js';
import { activation, bool, int, nonNegative, positive, type Signature } from './signature.js';

export type LatentKind = 'dense' | 'identity' | 'gaussian' | 'vq' | 'binary' | 'onehot';

export const latentSignatures: Readonly<Record<LatentKind, Signature>> = Object.freeze({
  dense: {
    name: 'dense',
    args: [
      { name: 'units', type: int() },
      { name: 'act', type: activation, default: LINEAR },
    ],
  },
  identity: { name: 'identity', args: [] },
  gaussian: { name: 'gaussian', args: [{ name: 'units', type: int() }] },
  vq: {
    name: 'vq',
    args: [
      { name: 'codes', type: int() },
      { name: 'dim', type: int() },
      { name: 'commitment', type: nonNegative, default: 0.25 },
    ],
  },
  binary: {
    name: 'binary',
    args: [
      { name: 'units', type: int() },
      { name: 'stochastic', type: bool, default: false },
    ],
  },
  onehot: {
    name: 'onehot',
    args: [
      { name: 'units', type: int() },
      { name: 'temperature', type: positive, default: 1 },
      { name: 'hard', type: bool, default: false },
    ],
  },
});

export const latentKinds = Object.freeze(Object.keys(latentSignatures)) as readonly LatentKind[];

export function isLatentKind(name: string): name is LatentKind {
  return Object.prototype.hasOwnProperty.call(latentSignatures, name);
}

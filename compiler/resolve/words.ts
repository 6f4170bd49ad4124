// Enum-like words that evaluate to their own text when no constant shadows them
// (`padding = same`, `act = relu`, `mode = fill`, `reduce = sum`, `freeze = [encoder]`).
import { activationNames } from '../shapes/activations.js';

export const knownWords: ReadonlySet<string> = new Set<string>([
  ...activationNames,
  'same',
  'valid',
  'switches',
  'fill',
  'mean',
  'sum',
  'encoder',
  'decoder',
  'latent',
]);

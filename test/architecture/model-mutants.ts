// Mutants that change what a model means, not how it is written: sizes and numbers, activations,
// layer kinds, losses, dropped or repeated lines, and the token swaps and drops of
// test/format/mutate.ts. Seeded (the runtime's PRNG), so a failing mutant replays.
import { mutate, seededRandom, splitPieces } from '../format/mutate.js';

const sizes = ['1', '2', '3', '4', '5', '6', '8', '16'];
const fractions = ['0', '0.1', '0.5', '0.99', '1', '2'];
const activations = ['relu', 'tanh', 'sigmoid', 'leaky_relu', 'elu', 'gelu', 'softplus', 'softmax', 'linear'];
const layers = ['dense', 'conv2d', 'deconv2d', 'maxpool', 'unpool', 'upsample', 'flatten', 'dropout', 'batchnorm', 'layernorm'];
const latents = ['dense', 'gaussian', 'binary', 'onehot', 'identity', 'vq'];
const losses = ['mse', 'bce', 'l1', 'l2', 'kl', 'kl_sparsity', 'contractive', 'vq_loss', 'weight_decay', 'cross_entropy'];
const words = [activations, layers, latents, losses];

export function mutateModel(text: string, seed: number): string {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  let result = text;
  const count = 1 + Math.floor(random() * 3);
  for (let n = 0; n < count; n++) {
    const kind = random();
    if (kind < 0.15) {
      result = mutate(result, Math.floor(random() * 2 ** 31), 1, ['swap', 'drop']);
      continue;
    }
    if (kind < 0.35) {
      const lines = result.split('\n');
      const at = Math.floor(random() * lines.length);
      if (random() < 0.5) lines.splice(at, 1);
      else lines.splice(at, 0, lines[at]!);
      result = lines.join('\n');
      continue;
    }
    const pieces = splitPieces(result);
    const numbers = pieces.filter((p) => p.kind === 'token' && /^\d/.test(p.text));
    const names = pieces.filter((p) => p.kind === 'token' && words.some((list) => list.includes(p.text)));
    const target = kind < 0.7 ? pick(numbers.length > 0 ? numbers : pieces) : pick(names.length > 0 ? names : pieces);
    if (target.kind !== 'token') continue;
    if (/^\d/.test(target.text)) target.text = target.text.includes('.') ? pick(fractions) : pick(sizes);
    else {
      const list = words.find((l) => l.includes(target.text));
      if (list) target.text = pick(list);
    }
    result = pieces.map((p) => p.text).join('');
  }
  return result;
}

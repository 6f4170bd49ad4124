// Parameter counts as Keras and PyTorch count them: a tied weight once (its storage), batch-norm
// moving statistics as non-trainable.
import type { IRParameter } from '../../ir/types.js';

export function parameterSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function countParameters(parameters: readonly IRParameter[]): { total: number; trainable: number } {
  let total = 0;
  let trainable = 0;
  for (const p of parameters) {
    if (p.tiedTo !== undefined) continue;
    const size = parameterSize(p.shape);
    total += size;
    if (p.trainable) trainable += size;
  }
  return { total, trainable };
}

/** Parameters a node owns (tied ones count where they are stored). */
export function nodeParameterCount(parameters: readonly IRParameter[], nodeId: string): number {
  return parameters.filter((p) => p.node === nodeId && p.tiedTo === undefined).reduce((n, p) => n + parameterSize(p.shape), 0);
}

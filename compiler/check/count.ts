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

/** Parameters each node owns (tied ones count where they are stored), in one pass: a lookup per
 *  node over every parameter made `ae summary` quadratic in the layers. */
export function parameterCountsByNode(parameters: readonly IRParameter[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of parameters) {
    if (p.tiedTo !== undefined) continue;
    counts.set(p.node, (counts.get(p.node) ?? 0) + parameterSize(p.shape));
  }
  return counts;
}

import type { IRInput } from '../../ir/types.js';

export function imageInput(shape: (number | null)[], range?: [number, number]): IRInput {
  return { name: 'x', kind: 'tensor', shape: [null, ...shape], dtype: 'float32', ...(range ? { range } : {}) };
}

export function labelInput(classes: number): IRInput {
  return { name: 'y', kind: 'label', shape: [null], dtype: 'int32', classes };
}

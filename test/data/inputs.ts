import type { IRInput } from '../../ir/types.js';
import { sampleRange, type Dataset } from '../../runtime/data/index.js';

export function imageInput(shape: (number | null)[], range?: [number, number]): IRInput {
  return { name: 'x', kind: 'tensor', shape: [null, ...shape], dtype: 'float32', ...(range ? { range } : {}) };
}

export function labelInput(classes: number): IRInput {
  return { name: 'y', kind: 'label', shape: [null], dtype: 'int32', classes };
}

/** Every sample of a data set, in memory or streamed, as one array. */
export function valuesOf(data: Dataset): Float32Array {
  return sampleRange(data, 0, data.count);
}

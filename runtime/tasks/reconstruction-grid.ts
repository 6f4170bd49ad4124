// Originals (top row) above their reconstructions, as a PNG: what `ae reconstruct` draws and what
// `ae train` leaves in every run of an image model, so a person can see at once what was learned.
import type { IRInput } from '../../ir/types.js';
import { sampleRange, type Dataset } from '../data/index.js';
import { writeImageGrid } from '../images/index.js';
import type { Program } from '../program/program.js';
import { reconstruct } from './infer.js';

export interface ImageLayout {
  height: number;
  width: number;
  channels: 1 | 3;
}

/** How to draw one sample of `input`, or undefined when it is not an image (1 or 3 channels). */
export function imageLayout(input: IRInput): ImageLayout | undefined {
  const shape = input.shape.slice(1) as number[];
  if (shape.length === 3) {
    const [height, width, channels] = shape as [number, number, number];
    return channels === 1 || channels === 3 ? { height, width, channels } : undefined;
  }
  if (shape.length === 2) return { height: shape[0]!, width: shape[1]!, channels: 1 };
  if (shape.length === 1) {
    // A flat input is drawn as a square grey image when its width is a square (784 → 28×28).
    const side = Math.round(Math.sqrt(shape[0]!));
    return side * side === shape[0] ? { height: side, width: side, channels: 1 } : undefined;
  }
  return undefined;
}

/** The narrowest side worth drawing unasked (train's reconstructions.png): a 4-column table once
 *  made a 2×2 grey "image", and a [128, 1] signal a 128×1 strip, neither showing anything (issue 22).
 *  Where a PNG is asked for (`ae sample -o x.png`), any layout is drawn. */
export const MIN_IMAGE_SIDE = 8;

/** Whether a layout shows a picture rather than a table or a signal. */
export function isPicture(layout: ImageLayout): boolean {
  return layout.height >= MIN_IMAGE_SIDE && layout.width >= MIN_IMAGE_SIDE;
}

/**
 * Draws the first `count` samples and their reconstructions; with `corrupted` (a corrupted copy of
 * `dataset`), three rows: the clean samples, the corrupted inputs, and what the model made of them.
 * Returns how many were drawn.
 */
export async function writeReconstructionGrid(
  program: Program,
  input: IRInput,
  layout: ImageLayout,
  dataset: Dataset,
  path: string,
  count: number,
  corrupted?: Dataset,
): Promise<number> {
  const result = reconstruct(program, corrupted ?? dataset, { count });
  const size = layout.height * layout.width * layout.channels;
  const n = result.shape[0]!;
  const row = (values: Float32Array) => Array.from({ length: n }, (_, i) => values.slice(i * size, (i + 1) * size));
  const originals = row(sampleRange(dataset, 0, n));
  const rows = corrupted ? [originals, row(sampleRange(corrupted, 0, n)), row(result.values)] : [originals, row(result.values)];
  await writeImageGrid(path, rows, { ...layout, range: input.range ?? [0, 1] });
  return n;
}

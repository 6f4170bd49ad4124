// Image grids for run reports: each row a list of images (originals above their reconstructions),
// separated by padding, values mapped from the model's range onto 0..255 and clamped.

import { writeFileAtomic } from '../runs/run-dir.js';
import { encodePng } from './png.js';

export interface GridOptions {
  height: number;
  width: number;
  channels: 1 | 3;
  /** The value range of the images (the model input's range); low → black, high → white. */
  range: [number, number];
  /** Pixels between images and around the grid; default 2. */
  padding?: number;
  /** Gray level of the padding, 0..255; default 128, visible against black and white digits alike. */
  background?: number;
}

/** The grid as PNG bytes. Images are height × width × channels values (NHWC, one sample). */
export function renderImageGrid(rows: Float32Array[][], options: GridOptions): Uint8Array {
  const { height, width, channels, range } = options;
  const padding = options.padding ?? 2;
  const background = options.background ?? 128;
  const columns = Math.max(1, ...rows.map((row) => row.length));
  const gridWidth = padding + columns * (width + padding);
  const gridHeight = padding + Math.max(1, rows.length) * (height + padding);
  const pixels = new Uint8Array(gridWidth * gridHeight * channels).fill(background);
  const [low, high] = range;
  const scale = high > low ? 255 / (high - low) : 0;
  const imageSize = height * width * channels;

  rows.forEach((row, r) => {
    row.forEach((image, c) => {
      if (image.length !== imageSize) {
        throw new RangeError(`grid image (row ${r + 1}, column ${c + 1}) has ${image.length} values, expected ${height}×${width}×${channels} = ${imageSize}`);
      }
      const top = padding + r * (height + padding);
      const left = padding + c * (width + padding);
      for (let y = 0; y < height; y++) {
        const rowStart = ((top + y) * gridWidth + left) * channels;
        for (let i = 0; i < width * channels; i++) {
          const value = Math.round((image[y * width * channels + i] - low) * scale);
          pixels[rowStart + i] = Number.isNaN(value) ? 0 : Math.min(255, Math.max(0, value));
        }
      }
    });
  });
  return encodePng({ width: gridWidth, height: gridHeight, channels, pixels });
}

export async function writeImageGrid(path: string, rows: Float32Array[][], options: GridOptions): Promise<void> {
  await writeFileAtomic(path, renderImageGrid(rows, options));
}

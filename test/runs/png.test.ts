import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng, renderImageGrid, writeImageGrid } from '../../runtime/images/index.js';
import { decodePng } from './png-decode.js';

describe('PNG encoder', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
  });

  it('writes a grayscale image that decodes to the same pixels', () => {
    const pixels = Uint8Array.from([0, 64, 128, 255, 1, 2]);
    const png = decodePng(encodePng({ width: 3, height: 2, channels: 1, pixels }));
    expect(png.chunks).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([png.width, png.height, png.bitDepth, png.colorType]).toEqual([3, 2, 8, 0]);
    expect(Array.from(png.pixels)).toEqual(Array.from(pixels));
  });

  it('writes RGB with color type 2', () => {
    const pixels = Uint8Array.from([255, 0, 0, 0, 255, 0]);
    const png = decodePng(encodePng({ width: 2, height: 1, channels: 3, pixels }));
    expect(png.colorType).toBe(2);
    expect(Array.from(png.pixels)).toEqual(Array.from(pixels));
  });

  it('rejects a pixel buffer of the wrong size', () => {
    expect(() => encodePng({ width: 2, height: 2, channels: 1, pixels: new Uint8Array(3) })).toThrow('needs 4 bytes, got 3');
  });
});

describe('image grids', () => {
  it('places rows of images with padding and maps the range onto 0..255', () => {
    const original = Float32Array.from([0, 1, 0.5, 1]); // 2×2 image in [0, 1]
    const reconstruction = Float32Array.from([-1, 2, 0.25, 0]); // clamped outside the range
    const bytes = renderImageGrid([[original, original], [reconstruction]], { height: 2, width: 2, channels: 1, range: [0, 1], padding: 1, background: 9 });
    const png = decodePng(bytes);
    // Two columns and two rows of 2×2 images with 1 pixel of padding around each.
    expect([png.width, png.height]).toEqual([7, 7]);
    const at = (x: number, y: number): number => png.pixels[y * 7 + x];
    expect([at(1, 1), at(2, 1), at(1, 2), at(2, 2)]).toEqual([0, 255, 128, 255]);
    expect([at(4, 1), at(5, 1)]).toEqual([0, 255]);
    expect([at(1, 4), at(2, 4), at(1, 5), at(2, 5)]).toEqual([0, 255, 64, 0]);
    expect([at(0, 0), at(3, 1), at(4, 4)]).toEqual([9, 9, 9]);
  });

  it('maps a [-1, 1] range and RGB images', () => {
    const image = Float32Array.from([-1, 0, 1]); // one RGB pixel
    const png = decodePng(renderImageGrid([[image]], { height: 1, width: 1, channels: 3, range: [-1, 1], padding: 0 }));
    expect(Array.from(png.pixels)).toEqual([0, 128, 255]);
  });

  it('writes the grid atomically to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aelang-png-'));
    try {
      const path = join(dir, 'reconstructions.png');
      await writeImageGrid(path, [[new Float32Array(4)]], { height: 2, width: 2, channels: 1, range: [0, 1] });
      expect(readdirSync(dir)).toEqual(['reconstructions.png']);
      expect(decodePng(readFileSync(path)).width).toBe(6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names an image of the wrong size', () => {
    expect(() => renderImageGrid([[new Float32Array(3)]], { height: 2, width: 2, channels: 1, range: [0, 1] })).toThrow(
      'grid image (row 1, column 1) has 3 values, expected 2×2×1 = 4',
    );
  });
});

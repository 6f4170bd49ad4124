// reconstructions.svg (issue 22): vectors and [t, c] sequence windows get line plots of original
// against reconstruction, one panel per sample and channel. Checked on the markup (each line's points
// map back to the values drawn) and on the pixels (resvg draws both colours), and end to end: `ae
// train` leaves the file for a vector and for a sequence model, and not for an image model.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import type { IRInput } from '../../ir/types.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { channelValues, lineLayout, ORIGINAL_COLOUR, RECONSTRUCTION_COLOUR, reconstructionLinesSvg } from '../../runtime/plots/reconstruction-lines.js';

const input = (...shape: number[]): IRInput => ({ name: 'x', kind: 'tensor', shape: [null, ...shape], dtype: 'float32' }) as IRInput;

/** Each panel's two lines, in drawing order: [original points, reconstruction points]. */
function panels(svg: string): { original: [number, number][]; reconstruction: [number, number][] }[] {
  const lines = (cls: string) =>
    [...svg.matchAll(new RegExp(`<g class="${cls}"><polyline points="([^"]*)"`, 'g'))].map((m) => m[1]!.split(' ').map((p) => p.split(',').map(Number) as [number, number]));
  const originals = lines('original');
  const reconstructions = lines('reconstruction');
  expect(originals.length).toBe(reconstructions.length);
  return originals.map((original, i) => ({ original, reconstruction: reconstructions[i]! }));
}

const hex = (colour: string) => [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));

function pixelsOf(svg: string, colours: number[][]): { counts: number[]; width: number; height: number } {
  const image = new Resvg(svg, { fitTo: { mode: 'original' } }).render();
  const pixels = image.pixels;
  const counts = colours.map(([r, g, b]) => {
    let n = 0;
    for (let i = 0; i < pixels.length; i += 4) if (Math.abs(pixels[i]! - r!) < 8 && Math.abs(pixels[i + 1]! - g!) < 8 && Math.abs(pixels[i + 2]! - b!) < 8) n++;
    return n;
  });
  return { counts, width: image.width, height: image.height };
}

describe('the layout of a line plot', () => {
  it('is one channel for a vector, c channels of t steps for a sequence, nothing for images and labels', () => {
    expect(lineLayout(input(16))).toEqual({ steps: 16, channels: 1 });
    expect(lineLayout(input(12, 3))).toEqual({ steps: 12, channels: 3 });
    expect(lineLayout(input(8, 8, 1))).toBeUndefined();
    expect(lineLayout({ name: 'y', kind: 'label', shape: [null], classes: 3 } as unknown as IRInput)).toBeUndefined();
  });

  it('reads a channel out of interleaved steps', () => {
    const values = Float32Array.from([0, 10, 1, 11, 2, 12]);
    expect(channelValues(values, { steps: 3, channels: 2 }, 1)).toEqual([10, 11, 12]);
  });
});

describe('reconstructionLinesSvg', () => {
  const ramp = Float32Array.from({ length: 10 }, (_, i) => i / 9);
  const flat = new Float32Array(10).fill(0.5);

  it('draws each sample as a panel whose lines go where the values are', () => {
    const svg = reconstructionLinesSvg({ layout: { steps: 10, channels: 1 }, originals: [ramp, flat], reconstructions: [flat, ramp], title: 'm' });
    const drawn = panels(svg);
    expect(drawn).toHaveLength(2);
    const [first] = drawn;
    // Ten points each, left to right; the ramp climbs (y falls on screen) evenly, the flat line stays.
    expect(first!.original).toHaveLength(10);
    const xs = first!.original.map(([x]) => x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    const ys = first!.original.map(([, y]) => y);
    for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeCloseTo(ys[1]! - ys[0]!, 1);
    expect(ys[9]!).toBeLessThan(ys[0]!);
    expect(new Set(first!.reconstruction.map(([, y]) => y)).size).toBe(1);
    // The flat line at 0.5 lies halfway between the ramp's ends (one y axis for both lines).
    expect(first!.reconstruction[0]![1]).toBeCloseTo((ys[0]! + ys[9]!) / 2, 1);
    // The second panel swaps the roles.
    expect(new Set(drawn[1]!.original.map(([, y]) => y)).size).toBe(1);
    expect(drawn[1]!.reconstruction[9]![1]).toBeLessThan(drawn[1]!.reconstruction[0]![1]);
  });

  it('draws a panel per channel of a sequence, each channel its own values', () => {
    // Two channels interleaved: channel 0 rises, channel 1 falls.
    const sequence = Float32Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? i : -i));
    const svg = reconstructionLinesSvg({ layout: { steps: 8, channels: 2 }, originals: [sequence], reconstructions: [sequence], title: 'seq' });
    const drawn = panels(svg);
    expect(drawn).toHaveLength(2);
    expect(drawn[0]!.original[7]![1]).toBeLessThan(drawn[0]!.original[0]![1]);
    expect(drawn[1]!.original[7]![1]).toBeGreaterThan(drawn[1]!.original[0]![1]);
    expect(svg).toContain('sample 1, channel 2');
    // Wider than one channel's figure, as tall.
    const one = reconstructionLinesSvg({ layout: { steps: 8, channels: 1 }, originals: [ramp.slice(0, 8)], reconstructions: [ramp.slice(0, 8)], title: 'seq' });
    const size = (s: string) => s.match(/width="(\d+)" height="(\d+)"/)!.slice(1).map(Number);
    expect(size(svg)[0]!).toBeGreaterThan(size(one)[0]!);
    expect(size(svg)[1]).toBe(size(one)[1]);
  });

  it('renders to pixels of both colours, at the size the SVG declares', () => {
    const svg = reconstructionLinesSvg({ layout: { steps: 10, channels: 1 }, originals: [ramp, ramp, ramp], reconstructions: [flat, flat, flat], title: 'm' });
    const [width, height] = svg.match(/width="(\d+)" height="(\d+)"/)!.slice(1).map(Number);
    const { counts, width: w, height: h } = pixelsOf(svg, [hex(ORIGINAL_COLOUR), hex(RECONSTRUCTION_COLOUR)]);
    expect([w, h]).toEqual([width, height]);
    expect(height).toBeGreaterThan(3 * 110);
    // Three panels of two 2-px lines (and the legend's dots): both colours well drawn.
    expect(counts[0]!).toBeGreaterThan(3 * 200);
    expect(counts[1]!).toBeGreaterThan(3 * 200);
  });
});

describe('ae train', () => {
  const model = (shape: string, decoder: string) =>
    `model m {\n  input x: ${shape}\n  encoder { flatten, dense(6, act = tanh) }\n  latent z = dense(2)\n  decoder { ${decoder} }\n  output x_hat = linear\n  loss = mse(x_hat, x)\n  train { epochs = 1, batch = 16 }\n}\n`;

  async function train(text: string, data: Float32Array, shape: number[]): Promise<{ dir: string; stderr: string }> {
    const cwd = mkdtempSync(join(tmpdir(), 'aelang-lines-'));
    writeFileSync(join(cwd, 'm.ae'), text);
    writeFileSync(join(cwd, 'x.npy'), encodeNpy(data, shape));
    let stderr = '';
    const io = { stdout: () => {}, stderr: (t: string) => void (stderr += t), isTTY: false, cwd };
    expect(await main(['train', 'm.ae', '--data', 'x.npy', '--backend', 'cpu', '--out', 'run'], io)).toBe(0);
    return { dir: join(cwd, 'run'), stderr };
  }
  const signal = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i / 3));

  it('leaves reconstructions.svg for a sequence window, a panel per sample and channel', { timeout: 60_000 }, async () => {
    const { dir, stderr } = await train(model('[12, 2]', 'dense(24), reshape([12, 2])').replace('flatten, ', 'flatten, '), signal(32 * 24), [32, 12, 2]);
    expect(stderr).toContain(`wrote ${join(dir, 'reconstructions.svg')} (originals and reconstructions as lines)`);
    const svg = readFileSync(join(dir, 'reconstructions.svg'), 'utf8');
    expect(panels(svg)).toHaveLength(4 * 2);
    expect(panels(svg)[0]!.original).toHaveLength(12);
    expect(readdirSync(dir)).not.toContain('reconstructions.png');
  });

  it('leaves reconstructions.svg for a vector that is no picture, and none for an image', { timeout: 60_000 }, async () => {
    const vector = await train(model('[10]', 'dense(10)').replace('flatten, ', ''), signal(32 * 10), [32, 10]);
    expect(panels(readFileSync(join(vector.dir, 'reconstructions.svg'), 'utf8'))).toHaveLength(4);
    const image = await train(model('[8, 8, 1]', 'dense(64), reshape([8, 8, 1])'), signal(32 * 64).map(Math.abs), [32, 8, 8, 1]);
    expect(readdirSync(image.dir)).toContain('reconstructions.png');
    expect(readdirSync(image.dir)).not.toContain('reconstructions.svg');
  });
});

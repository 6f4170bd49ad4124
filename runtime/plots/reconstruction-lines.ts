// reconstructions.svg: what `ae train` leaves for inputs that are not pictures (issue 22): a flat
// vector (a row of features, a 16-wide signal) or a sequence window `[t, c]`. Each sample is a row of
// panels, one per channel (a vector has one), with the original and the reconstruction drawn as two
// lines over the position (or step) on a y axis shared by the two, so a person sees at once which
// parts of a signal the model follows and which it smooths away.
import { join } from 'node:path';
import type { IRInput } from '../../ir/types.js';
import { sampleRange, type Dataset } from '../data/index.js';
import type { Program } from '../program/program.js';
import { writeFileAtomic } from '../runs/index.js';
import { reconstruct } from '../tasks/infer.js';
import { document, group, legend, linearScale, polyline, TABLEAU10, text, xAxis, yAxis } from './svg.js';

export const RECONSTRUCTION_LINES_FILE = 'reconstructions.svg';

/** Samples drawn, and channels of a sequence drawn (the first ones), to keep the figure readable. */
export const LINE_SAMPLES = 4;
export const LINE_CHANNELS = 4;

export const ORIGINAL_COLOUR = TABLEAU10[0]!;
export const RECONSTRUCTION_COLOUR = TABLEAU10[1]!;

/** How the values of one sample are laid out: `steps` positions of `channels` interleaved values. */
export interface LineLayout {
  steps: number;
  channels: number;
}

/** A vector `[n]` is one channel of n positions; a sequence `[t, c]` is c channels of t steps;
 *  anything else (an image, a label, a table) is not drawn as lines. */
export function lineLayout(input: IRInput): LineLayout | undefined {
  if (input.kind !== 'tensor') return undefined;
  const shape = input.shape.slice(1);
  if (shape.some((d) => d === null || d === undefined)) return undefined;
  if (shape.length === 1) return shape[0]! >= 2 ? { steps: shape[0]!, channels: 1 } : undefined;
  if (shape.length === 2) return shape[0]! >= 2 ? { steps: shape[0]!, channels: shape[1]! } : undefined;
  return undefined;
}

export interface LinePanels {
  layout: LineLayout;
  /** Per sample, its values as laid out (steps × channels, channel fastest). */
  originals: readonly Float32Array[];
  reconstructions: readonly Float32Array[];
  title: string;
}

const PANEL_WIDTH = 260;
const PANEL_HEIGHT = 110;
const GAP_X = 70;
const GAP_Y = 64;
const LEFT = 70;
const TOP = 40;

/** The values of one channel of one sample. */
export function channelValues(values: Float32Array, layout: LineLayout, channel: number): number[] {
  return Array.from({ length: layout.steps }, (_, step) => values[step * layout.channels + channel]!);
}

/** The figure as SVG: a row per sample, a panel per channel, each panel its own y axis. */
export function reconstructionLinesSvg(panels: LinePanels): string {
  const { layout } = panels;
  const samples = Math.min(panels.originals.length, panels.reconstructions.length);
  const channels = Math.min(layout.channels, LINE_CHANNELS);
  const xScale = linearScale([0, layout.steps - 1], Math.min(6, layout.steps - 1), 1);
  const parts: string[] = [text(LEFT, 20, panels.title, { size: 13, weight: 'bold' })];
  for (let sample = 0; sample < samples; sample++) {
    for (let channel = 0; channel < channels; channel++) {
      const original = channelValues(panels.originals[sample]!, layout, channel);
      const rebuilt = channelValues(panels.reconstructions[sample]!, layout, channel);
      const yScale = linearScale([...original, ...rebuilt].filter(Number.isFinite), 4);
      const point = (value: number, step: number): [number, number] => [xScale.at(step) * PANEL_WIDTH, PANEL_HEIGHT - yScale.at(Number.isFinite(value) ? value : yScale.domain[0]) * PANEL_HEIGHT];
      const where = channels > 1 ? `sample ${sample + 1}, channel ${channel + 1}` : `sample ${sample + 1}`;
      const axisY = yAxis(yScale, PANEL_WIDTH, PANEL_HEIGHT, 'value');
      const children = [
        ...axisY.parts,
        ...xAxis(xScale, PANEL_WIDTH, PANEL_HEIGHT, layout.channels > 1 || channels > 1 ? 'step' : 'position'),
        text(PANEL_WIDTH / 2, -8, where, { size: 11, anchor: 'middle' }),
        `<g class="original">${polyline(original.map(point), ORIGINAL_COLOUR)}</g>`,
        `<g class="reconstruction">${polyline(rebuilt.map(point), RECONSTRUCTION_COLOUR)}</g>`,
      ];
      parts.push(group(LEFT + channel * (PANEL_WIDTH + GAP_X), TOP + 16 + sample * (PANEL_HEIGHT + GAP_Y), children));
    }
  }
  const key = legend(null, [
    { name: 'original', colour: ORIGINAL_COLOUR },
    { name: 'reconstruction', colour: RECONSTRUCTION_COLOUR },
  ]);
  const right = LEFT + channels * (PANEL_WIDTH + GAP_X);
  parts.push(group(right, TOP + 16, key.parts));
  if (layout.channels > channels) parts.push(text(LEFT, TOP + 4, `the first ${channels} of ${layout.channels} channels`, { size: 11 }));
  return document(right + key.width + 10, TOP + 16 + samples * (PANEL_HEIGHT + GAP_Y), parts);
}

/**
 * Reconstructs the first samples of `dataset` and writes the figure to `path` (default
 * reconstructions.svg in `runDir`); returns how many samples were drawn, 0 when the input is not a
 * vector or a sequence.
 */
export async function writeReconstructionLines(program: Program, input: IRInput, dataset: Dataset, runDir: string, count = LINE_SAMPLES, path = join(runDir, RECONSTRUCTION_LINES_FILE)): Promise<number> {
  const layout = lineLayout(input);
  if (layout === undefined) return 0;
  const result = reconstruct(program, dataset, { count });
  const n = result.shape[0]!;
  const size = layout.steps * layout.channels;
  const slices = (values: Float32Array) => Array.from({ length: n }, (_, i) => values.slice(i * size, (i + 1) * size));
  const svg = reconstructionLinesSvg({
    layout,
    originals: slices(sampleRange(dataset, 0, n)),
    reconstructions: slices(result.values),
    title: `${program.ir.model}: originals and reconstructions`,
  });
  await writeFileAtomic(path, svg);
  return n;
}

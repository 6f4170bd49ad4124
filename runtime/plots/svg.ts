// The drawing primitives of the plots: SVG elements as strings, linear scales with round ticks, an
// axis, a legend. Hand-written because the two charts a run draws (curves.svg, latent.svg) need
// little: lines, dots, text. The Vega + Vega-Lite stack they were drawn with before cost ~22 MB
// installed for the same pictures; this file is the whole of what they used.

/** Vega's default category colours (tableau10), in the order series get them. */
export const TABLEAU10 = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];
/** d3's category10. */
export const CATEGORY10 = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';
const AXIS_COLOUR = '#888';
const GRID_COLOUR = '#ddd';
const TEXT_COLOUR = '#000';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A number for an SVG attribute: short, and never `-0` or an exponent. */
export function n(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

export interface TextOptions {
  size: number;
  anchor?: 'start' | 'middle' | 'end';
  weight?: 'bold' | 'normal';
  /** Degrees, about (x, y). */
  rotate?: number;
  baseline?: 'middle' | 'hanging' | 'alphabetic';
}

export function text(x: number, y: number, content: string, o: TextOptions): string {
  const attrs = [`x="${n(x)}"`, `y="${n(y)}"`, `font-size="${o.size}"`, `fill="${TEXT_COLOUR}"`];
  if (o.anchor && o.anchor !== 'start') attrs.push(`text-anchor="${o.anchor}"`);
  if (o.weight === 'bold') attrs.push('font-weight="bold"');
  if (o.baseline && o.baseline !== 'alphabetic') attrs.push(`dominant-baseline="${o.baseline}"`);
  if (o.rotate) attrs.push(`transform="rotate(${o.rotate} ${n(x)} ${n(y)})"`);
  return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}

/** About how wide a text is drawn: layout needs it before any font is measured (Vega guesses too). */
export function textWidth(content: string, size: number): number {
  return content.length * size * 0.58;
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, width = 1): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="${stroke}" stroke-width="${width}"/>`;
}

export function polyline(points: readonly [number, number][], stroke: string, width = 2): string {
  return `<polyline points="${points.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}" fill="none" stroke="${stroke}" stroke-width="${width}" stroke-linejoin="round"/>`;
}

export function circle(x: number, y: number, r: number, fill: string, opacity = 1): string {
  return `<circle cx="${n(x)}" cy="${n(y)}" r="${n(r)}" fill="${fill}"${opacity < 1 ? ` fill-opacity="${opacity}"` : ''}/>`;
}

export function group(x: number, y: number, children: readonly string[]): string {
  return `<g transform="translate(${n(x)},${n(y)})">${children.join('')}</g>`;
}

export function document(width: number, height: number, children: readonly string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" font-family="${FONT}">` +
    `<rect width="100%" height="100%" fill="white"/>${children.join('')}</svg>\n`
  );
}

/** The tick step d3 picks for about `count` ticks over [lo, hi]: 1, 2 or 5 times a power of ten. */
function tickStep(lo: number, hi: number, count: number): number {
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  return power * (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1);
}

export interface Scale {
  domain: [number, number];
  ticks: number[];
  /** Decimals the tick labels need. */
  decimals: number;
  /** Maps a value to [0, 1] along the axis. */
  at(value: number): number;
}

/**
 * A linear scale over the values, widened to round ticks (as Vega's `nice`); not forced to include
 * zero. `minStep` keeps ticks at least that far apart (1 for epochs, never half an epoch).
 */
export function linearScale(values: readonly number[], count: number, minStep = 0): Scale {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (lo === hi) [lo, hi] = lo === 0 ? [-1, 1] : [lo - Math.abs(lo) / 2, hi + Math.abs(hi) / 2];
  const step = Math.max(tickStep(lo, hi, count), minStep);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let i = 0; lo + i * step <= hi + step * 1e-9; i++) ticks.push(Number((lo + i * step).toPrecision(12)));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return { domain: [lo, hi], ticks, decimals, at: (v) => (v - lo) / (hi - lo) };
}

export function tickLabel(value: number, decimals: number): string {
  return value.toFixed(decimals).replace(/^-(0\.?0*)$/, '$1');
}

const TICK = 5;
const LABEL_SIZE = 11;
const TITLE_SIZE = 12;

/** The x axis under a plot `width` wide and `height` high: ticks, labels, grid lines, its title. */
export function xAxis(scale: Scale, width: number, height: number, title: string): string[] {
  const parts: string[] = [];
  for (const t of scale.ticks) {
    const x = scale.at(t) * width;
    parts.push(line(x, 0, x, height, GRID_COLOUR), line(x, height, x, height + TICK, AXIS_COLOUR));
    parts.push(text(x, height + TICK + 2, tickLabel(t, scale.decimals), { size: LABEL_SIZE, anchor: 'middle', baseline: 'hanging' }));
  }
  parts.push(line(0, height, width, height, AXIS_COLOUR));
  parts.push(text(width / 2, height + TICK + LABEL_SIZE + 20, title, { size: TITLE_SIZE, anchor: 'middle', weight: 'bold' }));
  return parts;
}

/** The y axis left of a plot `width` wide and `height` high; returns its parts and how wide it is. */
export function yAxis(scale: Scale, width: number, height: number, title: string): { parts: string[]; width: number } {
  const parts: string[] = [];
  const labels = scale.ticks.map((t) => tickLabel(t, scale.decimals));
  const labelWidth = Math.max(...labels.map((l) => textWidth(l, LABEL_SIZE)));
  scale.ticks.forEach((t, i) => {
    const y = height - scale.at(t) * height;
    parts.push(line(0, y, width, y, GRID_COLOUR), line(-TICK, y, 0, y, AXIS_COLOUR));
    parts.push(text(-TICK - 2, y, labels[i]!, { size: LABEL_SIZE, anchor: 'end', baseline: 'middle' }));
  });
  parts.push(line(0, 0, 0, height, AXIS_COLOUR));
  const titleX = -TICK - 2 - labelWidth - 8;
  parts.push(text(titleX, height / 2, title, { size: TITLE_SIZE, anchor: 'middle', weight: 'bold', rotate: -90 }));
  return { parts, width: TICK + 2 + labelWidth + 8 + TITLE_SIZE };
}

/** A legend: a title (if any), then one swatch and name per entry; returns its parts and size. */
export function legend(title: string | null, entries: readonly { name: string; colour: string; opacity?: number }[]): { parts: string[]; width: number; height: number } {
  const parts: string[] = [];
  let y = 0;
  if (title) {
    parts.push(text(0, y, title, { size: TITLE_SIZE, weight: 'bold', baseline: 'hanging' }));
    y += TITLE_SIZE + 6;
  }
  for (const entry of entries) {
    parts.push(circle(5, y + 6, 4.5, entry.colour, entry.opacity ?? 1));
    parts.push(text(16, y + 6, entry.name, { size: LABEL_SIZE, baseline: 'middle' }));
    y += 16;
  }
  const width = Math.max(title ? textWidth(title, TITLE_SIZE) : 0, ...entries.map((e) => 16 + textWidth(e.name, LABEL_SIZE)));
  return { parts, width, height: y };
}

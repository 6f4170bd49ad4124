// A chart is a small declarative spec in Vega-Lite's vocabulary (data rows, a mark, x/y/colour
// encodings, a facet by column, vertical concatenation), so a reader can paste it into the Vega
// editor, and here it is drawn to SVG by svg.ts without Vega: the subset our charts use is read
// below (line marks with points, circle marks, quantitative x and y, a nominal colour with its
// legend, `facet.column`, `vconcat`, independent scales per cell). Anything else in a spec is refused
// rather than drawn wrong.
import { CATEGORY10, TABLEAU10, circle, document, group, legend, linearScale, polyline, text, xAxis, yAxis } from './svg.js';

/** A chart in Vega-Lite's vocabulary, the subset `renderSvg` draws (see the fields read below). */
export interface ChartSpec {
  title?: string;
  [field: string]: unknown;
}

type Row = Record<string, unknown>;

interface FieldDef {
  field: string;
  title?: string | null;
  sort?: readonly string[];
  axis?: { tickMinStep?: number };
  scale?: { scheme?: string };
}

interface UnitView {
  mark: string | { type: string; point?: unknown; size?: number; opacity?: number };
  encoding: { x: FieldDef; y: FieldDef; color?: FieldDef };
}

interface View {
  width?: number;
  height?: number;
  data?: { values: Row[] };
  facet?: { column: FieldDef };
  spec?: View;
  layer?: UnitView[];
  mark?: UnitView['mark'];
  encoding?: UnitView['encoding'];
  vconcat?: View[];
}

const TITLE_SIZE = 13;
const HEADER_SIZE = 12;
const CELL_GAP = 24;
const X_AXIS_HEIGHT = 44;
const PADDING = 8;

export async function renderSvg(spec: ChartSpec): Promise<string> {
  const top = spec as View & ChartSpec;
  const panels = top.vconcat ?? [top];
  const parts: string[] = [];
  let y = PADDING;
  let width = 0;
  if (top.title) {
    parts.push(text(PADDING, y, top.title, { size: TITLE_SIZE, weight: 'bold', baseline: 'hanging' }));
    y += TITLE_SIZE + 12;
  }
  for (const panel of panels) {
    const drawn = drawPanel(panel, top.data?.values);
    parts.push(group(PADDING, y, drawn.parts));
    y += drawn.height + 16;
    width = Math.max(width, drawn.width);
  }
  return document(width + 2 * PADDING, y, parts);
}

/** One row of the chart: its cells (one per facet value, else one), then the legend on the right. */
function drawPanel(panel: View, inherited: Row[] | undefined): { parts: string[]; width: number; height: number } {
  const rows = panel.data?.values ?? inherited;
  if (!rows) throw new Error('chart spec: a view without data');
  const inner = panel.spec ?? panel;
  const units: UnitView[] = inner.layer ?? (inner.mark && inner.encoding ? [{ mark: inner.mark, encoding: inner.encoding }] : []);
  if (units.length === 0) throw new Error('chart spec: a view with no mark');
  const cellWidth = inner.width ?? panel.width ?? 400;
  const cellHeight = inner.height ?? panel.height ?? 300;
  const column = panel.facet?.column;
  const cells = column ? facetValues(rows, column).map((value) => ({ value, rows: rows.filter((r) => String(r[column.field]) === value) })) : [{ value: null, rows }];

  const colourField = units.find((u) => u.encoding.color)?.encoding.color;
  const colours = colourField ? colourScale(rows, colourField) : null;
  const headerHeight = column ? HEADER_SIZE + 8 : 0;

  const parts: string[] = [];
  let x = 0;
  for (const cell of cells) {
    const drawn = drawCell(cell.rows, units, cellWidth, cellHeight, colours);
    x += drawn.axisWidth;
    if (cell.value !== null) parts.push(text(x + cellWidth / 2, 0, cell.value, { size: HEADER_SIZE, anchor: 'middle', baseline: 'hanging' }));
    parts.push(group(x, headerHeight, drawn.parts));
    x += cellWidth + CELL_GAP;
  }
  let width = x - CELL_GAP;
  let height = headerHeight + cellHeight + X_AXIS_HEIGHT;
  if (colours && colourField) {
    const key = legend(colourField.title ?? null, colours.entries);
    parts.push(group(width + 16, headerHeight, key.parts));
    width += 16 + key.width;
    height = Math.max(height, headerHeight + key.height);
  }
  return { parts, width, height };
}

function drawCell(rows: Row[], units: UnitView[], width: number, height: number, colours: ColourScale | null) {
  const { x: xDef, y: yDef } = units[0]!.encoding;
  const xs = finite(rows, xDef.field);
  const ys = finite(rows, yDef.field);
  const xScale = linearScale(xs, Math.ceil(width / 40), xDef.axis?.tickMinStep ?? 0);
  const yScale = linearScale(ys, Math.ceil(height / 40));
  const y = yAxis(yScale, width, height, yDef.title ?? yDef.field);
  const parts = [...y.parts, ...xAxis(xScale, width, height, xDef.title ?? xDef.field)];
  const px = (v: number) => xScale.at(v) * width;
  const py = (v: number) => height - yScale.at(v) * height;
  for (const unit of units) {
    const mark = typeof unit.mark === 'string' ? { type: unit.mark } : unit.mark;
    const colourOf = (row: Row) => (colours && unit.encoding.color ? colours.of(String(row[unit.encoding.color.field])) : TABLEAU10[0]!);
    const points = rows.filter((r) => Number.isFinite(r[xDef.field]) && Number.isFinite(r[yDef.field]));
    if (mark.type === 'line') {
      for (const series of groupBy(points, (r) => (unit.encoding.color ? String(r[unit.encoding.color.field]) : ''))) {
        const sorted = [...series].sort((a, b) => (a[xDef.field] as number) - (b[xDef.field] as number));
        const colour = colourOf(sorted[0]!);
        parts.push(polyline(sorted.map((r) => [px(r[xDef.field] as number), py(r[yDef.field] as number)]), colour));
        if ('point' in mark && mark.point) for (const r of sorted) parts.push(circle(px(r[xDef.field] as number), py(r[yDef.field] as number), 2.8, colour));
      }
    } else if (mark.type === 'circle') {
      const radius = Math.sqrt(('size' in mark && mark.size ? mark.size : 30) / Math.PI);
      const opacity = 'opacity' in mark && mark.opacity !== undefined ? mark.opacity : 0.7;
      for (const r of points) parts.push(circle(px(r[xDef.field] as number), py(r[yDef.field] as number), radius, colourOf(r), opacity));
    } else {
      throw new Error(`chart spec: a '${mark.type}' mark (only line and circle are drawn)`);
    }
  }
  return { parts, axisWidth: y.width };
}

interface ColourScale {
  entries: { name: string; colour: string; opacity?: number }[];
  of(value: string): string;
}

/** Colours in the scheme's order over the values: the spec's sort, else sorted (Vega-Lite's default). */
function colourScale(rows: Row[], def: FieldDef): ColourScale {
  const present = new Set(rows.map((r) => String(r[def.field])));
  const order = def.sort ? def.sort.filter((v) => present.has(v)) : [...present].sort();
  const scheme = def.scale?.scheme === 'category10' ? CATEGORY10 : TABLEAU10;
  const index = new Map(order.map((v, i) => [v, i]));
  const of = (value: string) => scheme[(index.get(value) ?? 0) % scheme.length]!;
  return { entries: order.map((name) => ({ name, colour: of(name) })), of };
}

function facetValues(rows: Row[], column: FieldDef): string[] {
  const present = [...new Set(rows.map((r) => String(r[column.field])))];
  return column.sort ? column.sort.filter((v) => present.includes(v)) : present;
}

function finite(rows: Row[], field: string): number[] {
  return rows.map((r) => r[field]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(item);
  }
  return [...groups.values()];
}

/** Kept for the specs' `config` (a reader pasting a spec into the Vega editor gets the same look). */
export const CHART_CONFIG = {
  background: 'white',
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  header: { labelFontSize: 12, titleFontSize: 12 },
} as const;

// Vega-Lite specs rendered to SVG in Node: vega-lite compiles the spec to Vega, and a headless Vega
// view (no browser, no canvas) draws it with its SVG renderer. Vega-Lite because a chart is a small
// declarative JSON spec (data, marks, encodings) that a reader can paste into the Vega editor, it is
// well kept (the UW Interactive Data Lab, regular releases), and it renders server-side to SVG with
// nothing native; Plotly and Chart.js need a browser or node-canvas for a static picture.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type ChartSpec = TopLevelSpec;

export async function renderSvg(spec: ChartSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The look every plot shares: a white background and readable fonts. */
export const CHART_CONFIG = {
  background: 'white',
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  header: { labelFontSize: 12, titleFontSize: 12 },
} as const;

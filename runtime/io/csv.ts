// Writes samples as CSV: one sample per line (all values after the first dimension flattened),
// an optional header row. Numbers are written in the shortest form that reads back exactly as float32.

import { writeFileAtomic } from '../runs/run-dir.js';

export function formatCsv(data: Float32Array, shape: number[], header?: string[]): string {
  const rows = shape.length === 0 ? 1 : shape[0];
  const columns = shape.length <= 1 ? 1 : shape.slice(1).reduce((n, d) => n * d, 1);
  if (rows * columns !== data.length) throw new RangeError(`csv: shape [${shape.join(', ')}] holds ${rows * columns} values, data has ${data.length}`);
  if (header && header.length !== columns) throw new RangeError(`csv: header has ${header.length} names for ${columns} columns`);
  const lines: string[] = header ? [header.join(',')] : [];
  for (let r = 0; r < rows; r++) {
    const values: string[] = [];
    for (let c = 0; c < columns; c++) values.push(formatFloat32(data[r * columns + c]));
    lines.push(values.join(','));
  }
  return `${lines.join('\n')}\n`;
}

export async function writeCsv(path: string, data: Float32Array, shape: number[], header?: string[]): Promise<void> {
  await writeFileAtomic(path, formatCsv(data, shape, header));
}

/** The shortest decimal that rounds back to the same float32 (0.1, not 0.10000000149011612). */
function formatFloat32(value: number): string {
  for (let digits = 1; digits < 17; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return String(Number(text));
  }
  return String(value);
}

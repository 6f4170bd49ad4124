// Windows of a series (`csv(path, window = t, stride = s)`): how many, standardised per channel with
// the training series' statistics, which the run records and `ae score` applies; a series shorter
// than a window is a clear error; `ae score` gives a score per window and per row of the series.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IRInput } from '../../ir/types.js';
import { DataError, loadDataset, recordedSeries, SERIES_FILE } from '../../runtime/data/index.js';
import { runAe } from '../format/run-cli.js';
import { useCpu } from '../runtime/setup.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-windows-'));
beforeAll(useCpu);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const input = (t: number | null, c: number): IRInput => ({ name: 's', kind: 'tensor', shape: [null, t, c], dtype: 'float32' });

/** Two channels: a = row, b = 10 + 2·(row % 2); a header, and a label column when asked. */
function series(name: string, rows: number, label?: (row: number) => number): string {
  const lines = [label ? 'a,b,y' : 'a,b'];
  for (let r = 0; r < rows; r++) lines.push([r, 10 + 2 * (r % 2), ...(label ? [label(r)] : [])].join(','));
  writeFileSync(join(dir, name), lines.join('\n') + '\n');
  return name;
}

describe('csv windows', () => {
  it('cuts ⌊(rows − t) / s⌋ + 1 windows, each channel standardised by the series’ mean and deviation', async () => {
    const file = series('ten.csv', 10);
    const data = await loadDataset({ kind: 'csv', path: file, window: 4, stride: 3 }, input(4, 2), { cwd: dir });
    expect(data.count).toBe(3); // rows 0–3, 3–6, 6–9
    expect(data.sampleShape).toEqual([4, 2]);
    // a: 0..9, mean 4.5, population deviation √8.25; b alternates 10, 12: mean 11, deviation 1.
    const std = Math.sqrt(8.25);
    expect(data.series!.statistics.mean).toEqual([4.5, 11]);
    expect(data.series!.statistics.std[0]).toBeCloseTo(std, 12);
    expect(data.series!.statistics.std[1]).toBe(1);
    const x = data.x!;
    expect(x[0]).toBeCloseTo((0 - 4.5) / std, 6);
    expect(x[1]).toBe(-1);
    expect(x[8]).toBeCloseTo((3 - 4.5) / std, 6); // window 2 starts at row 3
    expect(x[9]).toBe(1);
  });

  it('standardises with given statistics (the training series’), and takes a recorded window', async () => {
    const file = series('given.csv', 6);
    const statistics = { mean: [1, 2], std: [2, 4] };
    const data = await loadDataset(file, input(5, 2), { cwd: dir, series: { window: 5, stride: 1, statistics } });
    expect(data.count).toBe(2);
    expect(Array.from(data.x!.slice(0, 4))).toEqual([(0 - 1) / 2, (10 - 2) / 4, (1 - 1) / 2, (12 - 2) / 4]);
  });

  it('labels a window by its largest row label', async () => {
    const file = series('labelled.csv', 8, (r) => (r === 4 ? 1 : 0));
    const data = await loadDataset({ kind: 'csv', path: file, label: 'y', window: 3, stride: 2 }, input(3, 2), { cwd: dir });
    expect(Array.from(data.labels!)).toEqual([0, 1, 1]); // rows 0–2, 2–4, 4–6; row 4 is in two
  });

  it('refuses a series shorter than one window, and channels that are not the input’s, naming the file', async () => {
    const file = series('short.csv', 3);
    await expect(loadDataset({ kind: 'csv', path: file, window: 4 }, input(4, 2), { cwd: dir })).rejects.toThrow(
      new DataError('short.csv: the series has 3 step(s) (rows), fewer than one window of 4; use a shorter window or a longer series'),
    );
    await expect(loadDataset({ kind: 'csv', path: file, window: 2 }, input(2, 3), { cwd: dir })).rejects.toThrow(
      new DataError("short.csv: the series has 2 channel(s) (columns besides the label), but input 's' is [2, 3]"),
    );
  });
});

describe('ae train and ae score on windows', () => {
  it('records the series’ statistics with the run and scores each window and each row; a spike scores highest', async () => {
    const rows = 120;
    const wave = (r: number, spike: boolean) => [Math.sin(r / 4), Math.cos(r / 6) * 3 + 7 + (spike && r === 70 ? 40 : 0)];
    writeFileSync(join(dir, 'train.csv'), ['a,b', ...Array.from({ length: rows }, (_, r) => wave(r, false).join(','))].join('\n') + '\n');
    writeFileSync(join(dir, 'test.csv'), ['a,b', ...Array.from({ length: rows }, (_, r) => wave(r, true).join(','))].join('\n') + '\n');
    writeFileSync(
      join(dir, 'seq.ae'),
      `model seq {
  input s: [16, 2]
  encoder { conv1d(4, kernel = 3, act = tanh), gru(4) }
  latent z = dense(3)
  decoder = mirror(encoder)
  output s_hat = linear
  loss = mse(s_hat, s)
  train { data = csv("train.csv", window = 16, stride = 8), epochs = 2, batch = 8 }
}
`,
    );
    const trained = await runAe(['train', 'seq.ae', '-o', 'run', '--backend', 'cpu', '-q'], dir);
    expect(trained.stderr + trained.stdout).not.toContain('error');
    expect(trained.code).toBe(0);
    const recorded = await recordedSeries(join(dir, 'run'));
    expect(recorded!.window).toBe(16);
    expect(recorded!.stride).toBe(8);
    expect(JSON.parse(readFileSync(join(dir, 'run', SERIES_FILE), 'utf8')).steps).toBe(rows);

    const scored = await runAe(['score', 'run', '--data', 'test.csv', '-o', 'scores.csv', '--backend', 'cpu'], dir);
    expect(scored.code).toBe(0);
    expect(scored.stderr).toContain(`wrote ${rows} per-step scores (one per row of the series) to scores.steps.csv`);
    const windows = readFileSync(join(dir, 'scores.csv'), 'utf8').trim().split('\n').slice(1);
    expect(windows.length).toBe(14); // ⌊(120 − 16) / 8⌋ + 1
    const perRow = readFileSync(join(dir, 'scores.steps.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    expect(perRow.length).toBe(rows);
    const highest = perRow.indexOf(Math.max(...perRow.filter(Number.isFinite)));
    expect(highest).toBe(70);
    // The windows holding row 70 (starts 56 and 64) score above every other window.
    const windowScores = windows.map((l) => Number(l.split(',')[1]));
    const spiked = [7, 8];
    const others = windowScores.filter((_, i) => !spiked.includes(i));
    for (const i of spiked) expect(windowScores[i]!).toBeGreaterThan(Math.max(...others));
  }, 120_000);
});

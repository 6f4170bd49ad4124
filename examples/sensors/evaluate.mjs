// ROC AUC per anomaly kind for window scores written by `ae score`, beside a baseline with no
// model: the moving-average residual (each channel standardised with the training series, minus its
// centred moving average over 9 rows; a window scores the mean squared residual).
// `node evaluate.mjs SCORES.csv [SCORES.csv ...]` in the folder holding train.csv, test.csv and
// test-kinds.csv. Windows are those of the models: 64 rows, 8 apart.
import { readFileSync } from 'node:fs';

const WINDOW = 64;
const STRIDE = 8;
const KINDS = { 1: 'spike', 2: 'level shift', 3: 'frequency change' };

const rows = (file) => readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').map(Number));

/** Mann–Whitney ROC AUC, ties counted half. */
function rocAuc(positives, negatives) {
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}

function movingAverageScores(train, test) {
  const channels = train[0].length;
  const mean = Array.from({ length: channels }, (_, c) => train.reduce((s, r) => s + r[c], 0) / train.length);
  const std = mean.map((m, c) => Math.sqrt(train.reduce((s, r) => s + (r[c] - m) ** 2, 0) / train.length));
  const z = test.map((r) => r.map((v, c) => (v - mean[c]) / std[c]));
  const half = 4;
  const residual = z.map((r, t) =>
    r.map((v, c) => {
      const from = Math.max(0, t - half);
      const to = Math.min(z.length - 1, t + half);
      let sum = 0;
      for (let i = from; i <= to; i++) sum += z[i][c];
      return (v - sum / (to - from + 1)) ** 2;
    }),
  );
  const count = Math.floor((test.length - WINDOW) / STRIDE) + 1;
  return Array.from({ length: count }, (_, w) => {
    let sum = 0;
    for (let t = w * STRIDE; t < w * STRIDE + WINDOW; t++) for (const v of residual[t]) sum += v;
    return sum / (WINDOW * channels);
  });
}

const kinds = rows('test-kinds.csv').map((r) => r[0]);
const count = Math.floor((kinds.length - WINDOW) / STRIDE) + 1;
const windowKinds = Array.from({ length: count }, (_, w) => new Set(kinds.slice(w * STRIDE, w * STRIDE + WINDOW).filter((k) => k !== 0)));
const scored = {
  'moving-average residual': movingAverageScores(rows('train.csv'), rows('test.csv')),
  ...Object.fromEntries(process.argv.slice(2).map((file) => [file, rows(file).map((r) => r[1])])),
};
console.log(`| scores | ${Object.values(KINDS).join(' | ')} |`);
console.log(`| --- | ${Object.values(KINDS).map(() => '---').join(' | ')} |`);
for (const [name, scores] of Object.entries(scored)) {
  if (scores.length !== count) throw new Error(`${name}: ${scores.length} windows, expected ${count}`);
  const negatives = scores.filter((_, w) => windowKinds[w].size === 0);
  const aucs = Object.keys(KINDS).map((kind) => rocAuc(scores.filter((_, w) => windowKinds[w].has(Number(kind)) && windowKinds[w].size === 1), negatives));
  console.log(`| ${name} | ${aucs.map((a) => a.toFixed(3)).join(' | ')} |`);
}
console.log(`\n${count} windows: ${windowKinds.filter((k) => k.size === 0).length} normal, ${Object.entries(KINDS).map(([k, name]) => `${windowKinds.filter((s) => s.has(Number(k))).length} with a ${name}`).join(', ')}`);

// ROC AUC and average precision of anomaly scores written by `ae score` (or by the PyTorch peer,
// bench/tables_peer.py, in the same format), overall and for each kind of planted fraud: the rows of
// that kind against the ordinary rows. The metrics are the runtime's own (scikit-learn's
// definitions), so every row of the table is computed by the same code.
//   node --import tsx evaluate.ts NAME=SCORES.csv [NAME=SCORES.csv ...]   (in the folder of test-kinds.csv)
import { readFileSync } from 'node:fs';
import { averagePrecision, rocAuc } from '../../runtime/tasks/ranking-metrics.js';

const KINDS = ['amount', 'country', 'hour', 'channel'];
const column = (file: string, index: number) =>
  readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => Number(line.split(',')[index]));

const kinds = column('test-kinds.csv', 0);
console.log(`| scores | ROC AUC | average precision | ${KINDS.map((k) => `AUC, ${k}`).join(' | ')} |`);
console.log(`| --- | --- | --- | ${KINDS.map(() => '---').join(' | ')} |`);
for (const argument of process.argv.slice(2)) {
  const [name, file] = argument.includes('=') ? argument.split('=', 2) as [string, string] : [argument, argument];
  const scores = column(file, 1);
  if (scores.length !== kinds.length) throw new Error(`${file}: ${scores.length} scores for ${kinds.length} rows`);
  const fraud = kinds.map((k) => (k === 0 ? 0 : 1));
  const perKind = KINDS.map((_, i) => {
    const rows = kinds.flatMap((k, r) => (k === 0 || k === i + 1 ? [r] : []));
    return rocAuc(rows.map((r) => scores[r]!), rows.map((r) => (kinds[r] === 0 ? 0 : 1)));
  });
  const cells = [rocAuc(scores, fraud), averagePrecision(scores, fraud), ...perKind].map((v) => v.toFixed(3));
  console.log(`| ${name} | ${cells.join(' | ')} |`);
}

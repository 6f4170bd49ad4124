// Writes a synthetic 3-channel sensor series: train.csv (normal operation only), test.csv with
// planted anomalies of three kinds, and test-kinds.csv, each test row's kind: 0 = normal,
// 1 = spike, 2 = level shift, 3 = frequency change. Seeded: the same files every run.
// `node generate.mjs [DIR]`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '.';
let state = 12345;
const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());

/** Normal operation: a 50-step vibration, a slower load cycle, a temperature drifting with the load. */
function reading(t, frequency = 1) {
  const vibration = Math.sin((2 * Math.PI * t * frequency) / 50) + 0.1 * normal();
  const load = 0.6 * Math.sin((2 * Math.PI * t) / 400) + 0.1 * normal();
  const temperature = 20 + 2 * Math.sin((2 * Math.PI * (t - 40)) / 400) + 0.2 * normal();
  return [vibration, load, temperature];
}

function series(rows, anomalies) {
  const lines = ['vibration,load,temperature'];
  const kinds = new Array(rows).fill(0);
  const shift = new Array(rows).fill(0);
  if (anomalies) {
    // Every 300 rows one anomaly, the kinds in turn, at a random offset inside the block.
    for (let start = 150, k = 0; start + 120 < rows; start += 300, k++) {
      const kind = (k % 3) + 1;
      const at = start + Math.floor(uniform() * 60);
      const length = kind === 1 ? 1 : 60;
      for (let i = at; i < at + length; i++) {
        kinds[i] = kind;
        // A level shift of the temperature by 1.5 degrees, eased in and out over 15 rows (no edge).
        if (kind === 2) shift[i] = (1.5 * Math.min(i - at + 1, at + length - i, 15)) / 15;
      }
    }
  }
  let phase = 0;
  for (let t = 0; t < rows; t++) {
    const kind = kinds[t];
    // A frequency change: the vibration runs 1.6× faster (its phase kept continuous).
    phase += kind === 3 ? 1.6 : 1;
    const [vibration, load, temperature] = reading(t, 1);
    const v = Math.sin((2 * Math.PI * phase) / 50) + (vibration - Math.sin((2 * Math.PI * t) / 50));
    const row = [v, load, temperature];
    if (kind === 1) row[uniform() < 0.5 ? 0 : 1] += (uniform() < 0.5 ? -1 : 1) * 3; // a spike
    row[2] += shift[t];
    lines.push(row.map((x) => x.toFixed(4)).join(','));
  }
  return { csv: lines.join('\n') + '\n', kinds };
}

writeFileSync(join(dir, 'train.csv'), series(4000, false).csv);
const test = series(3000, true);
writeFileSync(join(dir, 'test.csv'), test.csv);
writeFileSync(join(dir, 'test-kinds.csv'), 'kind\n' + test.kinds.join('\n') + '\n');
console.log(`wrote train.csv (4000 rows), test.csv (3000 rows) and test-kinds.csv in ${dir}`);

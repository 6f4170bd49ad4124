// A table model end to end through `ae`: trained from a CSV read by column name, its encoding stored
// with the run (table.json), scored on other rows with the training encoding, each score split into
// the columns that made it; a level the training data never had is a clear error.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { Rng } from '../../runtime/program/rng.js';

function cli(cwd: string) {
  const out = { stdout: '', stderr: '' };
  const io = { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), isTTY: false, cwd };
  return { out, run: (...argv: string[]) => main(argv, io) };
}

const MODEL = `model payments {
  input x: table(amount, hour, merchant: category(3), country: category(2))
  encoder { dense(8, act = tanh) }
  latent z = dense(3)
  decoder = mirror(encoder)
  output x_hat = table
  loss = reconstruction(x_hat, x)
  train { data = csv("pay.csv"), epochs = 20, batch = 16, optimizer = adam(lr = 1e-2) }
}
`;

/** Merchant decides the amount; country follows merchant. */
function rows(count: number, seed: number): string[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const m = Math.floor(rng.next() * 3);
    return `${(10 + 40 * m + rng.normal()).toFixed(2)},${Math.floor(rng.next() * 24)},${['food', 'fuel', 'travel'][m]},${m === 2 ? 'de' : 'fr'},x`;
  });
}

let cwd = '';
beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'ae-table-'));
  writeFileSync(join(cwd, 'payments.ae'), MODEL);
  writeFileSync(join(cwd, 'pay.csv'), ['amount,hour,merchant,country,note', ...rows(160, 1)].join('\n') + '\n');
  // Row 3 is a planted fraud: a food payment of 500 (column order differs from training: read by name).
  writeFileSync(join(cwd, 'new.csv'), ['country,merchant,amount,hour', 'fr,food,11,3', 'de,travel,90,12', 'fr,food,500,4', 'fr,fuel,50,20'].join('\n') + '\n');
  writeFileSync(join(cwd, 'odd.csv'), 'amount,hour,merchant,country\n12,3,food,fr\n30,4,crypto,fr\n');
  const train = cli(cwd);
  expect(await train.run('train', 'payments.ae', '--backend', 'cpu', '--out', 'run')).toBe(0);
});

describe('a table model through ae', () => {
  it('stores the training encoding with the run', () => {
    const table = JSON.parse(readFileSync(join(cwd, 'run', 'table.json'), 'utf8'));
    expect(table.columns.map((c: { name: string }) => c.name)).toEqual(['amount', 'hour', 'merchant', 'country']);
    expect(table.columns[2].levels).toEqual(['food', 'fuel', 'travel']);
  });

  it('scores rows by name with the training encoding and says which columns contributed', async () => {
    const score = cli(cwd);
    expect(await score.run('score', 'run', '--data', 'new.csv', '--threshold', '1000', '-o', 'scores.csv', '--backend', 'cpu')).toBe(0);
    const [header, ...lines] = readFileSync(join(cwd, 'scores.csv'), 'utf8').trim().split('\n');
    expect(header).toBe('index,score,is_anomaly,amount,hour,merchant,country');
    const values = lines.map((line) => line.split(',').map(Number));
    // Each row's contributions sum to its score.
    for (const row of values) expect(row[3]! + row[4]! + row[5]! + row[6]!).toBeCloseTo(row[1]!, 3);
    // The planted fraud scores highest, and its amount is what made it.
    const fraud = values[2]!;
    expect(fraud[1]).toBe(Math.max(...values.map((r) => r[1]!)));
    expect(fraud[3]).toBeGreaterThan(fraud[4]! + fraud[5]! + fraud[6]!);
  });

  it('refuses a level the training data never had', async () => {
    const score = cli(cwd);
    expect(await score.run('score', 'run', '--data', 'odd.csv', '--threshold', '1', '-o', 'odd-scores.csv', '--backend', 'cpu')).toBe(1);
    expect(score.out.stderr).toContain("odd.csv: line 3: column 'merchant' has the level 'crypto', which the training data did not have");
    expect(existsSync(join(cwd, 'odd-scores.csv'))).toBe(false);
  });
});

// Tables read from CSV by column name: numeric columns standardised and categorical ones one-hot
// with the training data's statistics and levels; missing values, unknown levels, a level count
// that disagrees with the declaration and missing columns are errors naming the file and line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IRInput } from '../../ir/types.js';
import { loadDataset } from '../../runtime/data/index.js';
import { useTempDir } from './temp-dir.js';

const input: IRInput = { name: 'x', kind: 'table', shape: [null, 4], dtype: 'float32', columns: [{ name: 'amount' }, { name: 'country', levels: 3 }] };

const tempDir = useTempDir();

function csv(text: string): { cwd: string; file: string } {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'pay.csv'), text);
  return { cwd, file: 'pay.csv' };
}

const load = (text: string, encoding?: Awaited<ReturnType<typeof loadDataset>>['table']) => {
  const { cwd, file } = csv(text);
  return loadDataset({ kind: 'csv', path: file }, input, { cwd, ...(encoding ? { tableEncoding: encoding } : {}) });
};

describe('table csv', () => {
  it('reads columns by header name in any order, standardises numbers and one-hot encodes sorted levels', async () => {
    const data = await load('id,country,amount\n1,fr,10\n2,de,20\n3,us,30\n4,fr,40\n');
    expect(data.sampleShape).toEqual([4]);
    expect(data.table).toEqual({ columns: [{ name: 'amount', mean: 25, std: Math.sqrt(125) }, { name: 'country', levels: ['de', 'fr', 'us'] }] });
    const z = (v: number) => (v - 25) / Math.sqrt(125);
    expect(Array.from(data.x!)).toEqual([z(10), 0, 1, 0, z(20), 1, 0, 0, z(30), 0, 0, 1, z(40), 0, 1, 0].map(Math.fround));
  });

  it('encodes later data with the training encoding', async () => {
    const training = await load('amount,country\n10,fr\n20,de\n30,us\n');
    const later = await load('amount,country\n20,us\n', training.table);
    expect(Array.from(later.x!)).toEqual([0, 0, 0, 1]);
  });

  it('refuses a level the training data did not have, with file and line', async () => {
    const training = await load('amount,country\n10,fr\n20,de\n30,us\n');
    await expect(load('amount,country\n20,us\n5,it\n', training.table)).rejects.toThrow(
      "pay.csv: line 3: column 'country' has the level 'it', which the training data did not have (levels are learned from the training data; there is no 'unknown' level)",
    );
  });

  it('refuses a missing value with file and line', async () => {
    await expect(load('amount,country\n10,fr\n,de\n')).rejects.toThrow("pay.csv: line 3: column 'amount' is empty (missing values are refused: fill or drop the row)");
  });

  it('refuses a level count that disagrees with category(n)', async () => {
    await expect(load('amount,country\n10,fr\n20,de\n')).rejects.toThrow("pay.csv: column 'country' is declared category(3), but the training data has 2 levels ('de', 'fr')");
  });

  it('refuses a missing column and a non-numeric number', async () => {
    await expect(load('amount,nation\n10,fr\n')).rejects.toThrow("pay.csv: no column 'country' in the header (it has 'amount', 'nation')");
    await expect(load('amount,country\nten,fr\n20,de\n30,us\n')).rejects.toThrow("pay.csv: line 2: column 'amount' is numeric, but holds 'ten'");
  });

  it('refuses a table from a source that is not CSV', async () => {
    await expect(loadDataset({ kind: 'synthetic', samples: 4, seed: 1 }, input, { cwd: '/' })).rejects.toThrow(/is a table: its rows are read by column name from a CSV file/);
  });
});

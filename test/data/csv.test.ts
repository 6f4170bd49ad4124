import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, loadDataset, parseCsv } from '../../runtime/data/index.js';
import { imageInput, labelInput, valuesOf } from './inputs.js';
import { useTempDir } from './temp-dir.js';

describe('CSV reader', () => {
  const tempDir = useTempDir();

  it('reads a header, features and a label column by name', () => {
    const table = parseCsv('a,label,b\n0.5,1,0.25\n0,0,1\n', 'd.csv', { label: 'label' });
    expect(table.header).toEqual(['a', 'label', 'b']);
    expect(table.count).toBe(2);
    expect(table.columns).toBe(2);
    expect(Array.from(table.values)).toEqual([0.5, 0.25, 0, 1]);
    expect(Array.from(table.labels!)).toEqual([1, 0]);
    expect(table.firstDataLine).toBe(2);
  });

  it('reads a file without a header and a label column by index, with CRLF line ends', () => {
    const table = parseCsv('3,0.1,0.2\r\n4,0.3,0.4\r\n', 'd.csv', { label: '0' });
    expect(table.header).toBeUndefined();
    expect(Array.from(table.labels!)).toEqual([3, 4]);
    expect(Array.from(table.values)).toEqual([0.1, 0.2, 0.3, 0.4]);
  });

  it('names the line of a row with the wrong number of columns', () => {
    const text = 'a,b,c\n1,2,3\n4,5,6\n\n7,8\n';
    expect(() => parseCsv(text, 'd.csv')).toThrow(DataError);
    expect(() => parseCsv(text, 'd.csv')).toThrow('d.csv: line 5 has 2 columns but the header has 3');
  });

  it('names the line and column of a value that is not a number', () => {
    expect(() => parseCsv('a,b\n1,2\n3,x\n', 'd.csv')).toThrow("d.csv: line 3, column 'b': 'x' is not a number");
    expect(() => parseCsv('a,b\n1,\n', 'd.csv')).toThrow("d.csv: line 2, column 'b': '' is not a number");
  });

  it('rejects an unknown label column, listing the columns', () => {
    expect(() => parseCsv('a,b\n1,2\n', 'd.csv', { label: 'y' })).toThrow("d.csv: no label column 'y' (columns: a, b)");
  });

  it('stops after the limit', () => {
    expect(parseCsv('a\n1\n2\n3\n', 'd.csv', { limit: 2 }).count).toBe(2);
  });

  it('loads through loadDataset with labels and reshapes rows to the input', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'd.csv'), 'p0,p1,p2,p3,digit\n0,0.5,1,0.25,2\n1,1,0,0,0\n');
    const data = await loadDataset('d.csv#label=digit', imageInput([2, 2, 1], [0, 1]), { cwd: dir, labelsInput: labelInput(3) });
    expect(data.count).toBe(2);
    expect(data.sampleShape).toEqual([2, 2, 1]);
    expect(Array.from(valuesOf(data))).toEqual([0, 0.5, 1, 0.25, 1, 1, 0, 0]);
    expect(Array.from(data.labels!)).toEqual([2, 0]);
  });

  it('reads integer pixel values 0..255 as 8-bit data', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'px.csv'), 'a,b\n0,255\n51,102\n');
    const data = await loadDataset('px.csv', imageInput([2], [0, 1]), { cwd: dir });
    expect(Array.from(valuesOf(data))).toEqual([0, 1, 0.2, 0.4].map(Math.fround));
  });

  it('names the first data line and both shapes when a row does not fit the input', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'd.csv'), 'a,b,c\n0,0,0\n');
    await expect(loadDataset('d.csv', imageInput([2, 2, 1], [0, 1]), { cwd: dir })).rejects.toThrow(
      "d.csv: line 2 has shape [3] (3 values) but input 'x' expects [2, 2, 1] (4 values)",
    );
  });

  it('rejects float values outside the declared range', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'd.csv'), 'a,b\n0.5,0.5\n0.5,1.5\n');
    await expect(loadDataset('d.csv', imageInput([2], [0, 1]), { cwd: dir })).rejects.toThrow(
      'd.csv: values lie in [0.5, 1.5] (first outside at sample 2), outside the range [0, 1] declared by input',
    );
  });

  it('rejects a label that is not a class index', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'd.csv'), 'a,y\n0.5,1\n0.5,1.5\n');
    await expect(loadDataset('d.csv#label=y', imageInput([1], [0, 1]), { cwd: dir })).rejects.toThrow(
      "d.csv column 'y': label 2 is 1.5; labels are class indices",
    );
  });
});

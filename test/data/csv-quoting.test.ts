// CSV as people write it (RFC 4180 quoting, other delimiters, any line ending), read through the
// parser both from text and from a file streamed a megabyte at a time, with errors naming lines.
import { readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, loadDataset, parseCsv, parseDataArgument, readCsv } from '../../runtime/data/index.js';
import { imageInput, labelInput, valuesOf } from './inputs.js';
import { useTempDir } from './temp-dir.js';

describe('CSV quoting and delimiters', () => {
  const tempDir = useTempDir();

  it('reads quoted fields holding commas, doubled quotes and line breaks, and counts lines across them', () => {
    const text = '"width, cm","say ""hi""","note\non two lines"\n"0.63",1,2\n3,"4",5\n6,7,x\n';
    expect(() => parseCsv(text, 'q.csv')).toThrow("q.csv: line 5, column 'note\non two lines': 'x' is not a number");
    const table = parseCsv(text.replace('6,7,x\n', ''), 'q.csv', { label: 'say "hi"' });
    expect(table.header).toEqual(['width, cm', 'say "hi"', 'note\non two lines']);
    expect(table.firstDataLine).toBe(3);
    expect(Array.from(table.values)).toEqual([0.63, 2, 3, 5]);
    expect(Array.from(table.labels!)).toEqual([1, 4]);
  });

  it('reads "0.63" and other quoted numbers in the first row as data, and spaces around quotes', () => {
    const table = parseCsv('"0.63", "1.5" ,2\n"1e-3",-4,+5\n', 'n.csv');
    expect(table.header).toBeUndefined();
    expect(Array.from(table.values)).toEqual([0.63, 1.5, 2, 0.001, -4, 5]);
  });

  it('names the line where a quote is left open or closed too early', () => {
    expect(() => parseCsv('a,b\n1,2\n"3,4\n5,6\n', 'o.csv')).toThrow('o.csv: line 3: quoted field unterminated');
    expect(() => parseCsv('a,b\n1,2\n"3"x,4\n', 'o.csv')).toThrow('o.csv: line 3: trailing quote on quoted field is malformed');
  });

  it('reads semicolons, tabs and pipes when told, and tabs by the .tsv extension', async () => {
    const semicolons = parseCsv('a;"b;c"\n1;2\n', 's.csv', { delimiter: ';', label: 'b;c' });
    expect([semicolons.header, Array.from(semicolons.values), Array.from(semicolons.labels!)]).toEqual([['a', 'b;c'], [1], [2]]);
    expect(() => parseCsv('a;b\n1;"2;3"\n', 's.csv', { delimiter: ';' })).toThrow("s.csv: line 2, column 'b': '2;3' is not a number");
    expect(Array.from(parseCsv('1|2\n3|4\n', 'p.txt', { delimiter: '|' }).values)).toEqual([1, 2, 3, 4]);
    const dir = tempDir();
    writeFileSync(join(dir, 'd.tsv'), 'a\tb\tlabel\n0.5\t0.25\t1\n1\t0\t0\n');
    const tsv = await loadDataset('d.tsv#label=label', imageInput([2], [0, 1]), { cwd: dir, labelsInput: labelInput(2) });
    expect(Array.from(valuesOf(tsv))).toEqual([0.5, 0.25, 1, 0]);
    expect(Array.from(tsv.labels!)).toEqual([1, 0]);
    writeFileSync(join(dir, 'd.txt'), 'a;b\n0,5;1\n');
    expect(parseDataArgument('csv:d.txt#delimiter=;,label=b', dir)).toEqual({ kind: 'csv', path: 'd.txt', delimiter: ';', label: 'b' });
    await expect(loadDataset('csv:d.txt#delimiter=;', imageInput([2], [0, 1]), { cwd: dir })).rejects.toThrow(
      "d.txt: line 2, column 'a': '0,5' is not a number",
    );
    writeFileSync(join(dir, 'e.txt'), 'a;b\n0.5;1\n');
    expect(Array.from(valuesOf(await loadDataset('csv:e.txt#delimiter=;', imageInput([2], [0, 1]), { cwd: dir })))).toEqual([0.5, 1]);
    writeFileSync(join(dir, 't.txt'), '0.5\t1\n');
    expect(Array.from(valuesOf(await loadDataset('csv:t.txt#delimiter=tab', imageInput([2], [0, 1]), { cwd: dir })))).toEqual([0.5, 1]);
  });

  it('refuses a delimiter that could be part of a number or a quote', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'd.csv'), '1.5\n');
    for (const bad of ['.', '-', 'e', '"', ';;']) {
      await expect(loadDataset({ kind: 'csv', path: 'd.csv', delimiter: bad }, imageInput([1]), { cwd: dir })).rejects.toThrow(
        `d.csv: the delimiter must be one character that cannot be part of a number or a quote (or 'tab'), got '${bad}'`,
      );
    }
  });

  it('parses the settings after # in either order, a comma delimiter included', () => {
    expect(parseDataArgument('d.csv#label=y,delimiter=,', '.')).toEqual({ kind: 'csv', path: 'd.csv', label: 'y', delimiter: ',' });
    expect(parseDataArgument('d.csv#delimiter=,,label=y', '.')).toEqual({ kind: 'csv', path: 'd.csv', label: 'y', delimiter: ',' });
    expect(parseDataArgument('d.tsv', '.')).toEqual({ kind: 'csv', path: 'd.tsv' });
    expect(() => parseDataArgument('d.csv#sep=;', '.')).toThrow("expected '#label=COLUMN', '#delimiter=C' or both after the CSV file, got '#sep=;'");
  });

  it('reads a file streamed in chunks the same as its text, whatever the line endings and chunk boundaries', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 40000 }, (_, i) => `${i % 7},"${(i % 100) / 100}",${i % 3}`);
    for (const end of ['\n', '\r\n', '\r']) {
      const text = '\ufeffa,"b, quoted",label' + end + rows.join(end) + end;
      writeFileSync(join(dir, 'big.csv'), text);
      const fromFile = await readCsv(join(dir, 'big.csv'), { label: 'label', name: 'big.csv' });
      const fromText = parseCsv(text, 'big.csv', { label: 'label' });
      expect(fromFile.count).toBe(40000);
      expect(fromFile.header).toEqual(['a', 'b, quoted', 'label']);
      expect(Array.from(fromFile.values)).toEqual(Array.from(fromText.values));
      expect(Array.from(fromFile.labels!)).toEqual(Array.from(fromText.labels!));
    }
    writeFileSync(join(dir, 'mixed.csv'), 'a,b\r\n1,2\r3,4\n5,x\r\n');
    await expect(readCsv(join(dir, 'mixed.csv'), { name: 'mixed.csv' })).rejects.toThrow("mixed.csv: line 4, column 'b': 'x' is not a number");
  });

  it('stops reading a file at the limit, and refuses empty files and headers alone', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'd.csv'), 'a\n1\n2\n3\nbad\n');
    expect(Array.from((await readCsv(join(dir, 'd.csv'), { limit: 2 })).values)).toEqual([1, 2]);
    writeFileSync(join(dir, 'empty.csv'), '\n\r\n  \n');
    await expect(readCsv(join(dir, 'empty.csv'), { name: 'empty.csv' })).rejects.toThrow(new DataError('empty.csv: the CSV file is empty'));
    writeFileSync(join(dir, 'header.csv'), 'a,b\n\n');
    await expect(readCsv(join(dir, 'header.csv'), { name: 'header.csv' })).rejects.toThrow('header.csv: the CSV file has a header but no data rows');
  });

  it('leaves no spill file behind, even when a streamed CSV fails half-way', async () => {
    const dir = tempDir();
    const spills = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`aelang-spill-${process.pid}-`));
    writeFileSync(join(dir, 'd.csv'), 'a,b\n0.5,0.5\n0.25,7\n');
    await expect(loadDataset('d.csv', imageInput([2], [0, 1]), { cwd: dir, stream: true })).rejects.toThrow('d.csv: values lie in [0.25, 7]');
    const data = await loadDataset('d.csv', imageInput([2]), { cwd: dir, stream: true });
    expect(data.stream).toBeDefined();
    expect(spills()).toEqual([]);
    expect(Array.from(valuesOf(data))).toEqual([0.5, 0.5, 0.25, 7]);
    data.stream!.close();
  });
});

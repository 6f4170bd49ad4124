import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  RunFileError,
  appendJsonLine,
  createRunDirectory,
  readJsonFile,
  readJsonLines,
  runTimestamp,
  writeFileAtomic,
  writeJsonAtomic,
} from '../../runtime/runs/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aelang-runs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('run directories', () => {
  const now = new Date(2024, 0, 31, 9, 30, 15);

  it('defaults to runs/<model>-<YYYYMMDD-HHMMSS>/ and never reuses a non-empty one', () => {
    expect(runTimestamp(now)).toBe('20240131-093015');
    const first = createRunDirectory(undefined, 'mnist_ae', dir, { now });
    expect(first).toBe(join(dir, 'runs', 'mnist_ae-20240131-093015'));
    writeFileSync(join(first, 'ir.json'), '{}');
    const second = createRunDirectory(undefined, 'mnist_ae', dir, { now });
    expect(second).toBe(join(dir, 'runs', 'mnist_ae-20240131-093015-2'));
    expect(readdirSync(join(dir, 'runs')).sort()).toEqual(['mnist_ae-20240131-093015', 'mnist_ae-20240131-093015-2']);
  });

  it('uses --out, refusing an existing non-empty directory unless resuming', () => {
    expect(createRunDirectory('out/run1', 'm', dir)).toBe(join(dir, 'out', 'run1'));
    writeFileSync(join(dir, 'out', 'run1', 'metrics.jsonl'), '');
    expect(() => createRunDirectory('out/run1', 'm', dir)).toThrow(RunFileError);
    expect(() => createRunDirectory('out/run1', 'm', dir)).toThrow('out/run1 already holds files');
    expect(createRunDirectory('out/run1', 'm', dir, { resume: true })).toBe(join(dir, 'out', 'run1'));
    expect(() => createRunDirectory('out/none', 'm', dir, { resume: true })).toThrow('cannot resume: out/none does not exist');
    mkdirSync(join(dir, 'empty'));
    expect(createRunDirectory('empty', 'm', dir)).toBe(join(dir, 'empty'));
  });
});

describe('atomic writes', () => {
  it('replaces the file and leaves no temp files behind', async () => {
    const path = join(dir, 'weights.bin');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    await writeFileAtomic(path, 'second');
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(dir)).toEqual(['weights.bin']);
  });

  it('fails with the path and leaves no temp file when the directory is missing', async () => {
    await expect(writeFileAtomic(join(dir, 'no', 'x.json'), 'x')).rejects.toThrow(/cannot write .*x\.json: ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes two-space JSON with a trailing newline and reads it back', async () => {
    const path = join(dir, 'config.json');
    await writeJsonAtomic(path, { model: 'ae', epochs: [1, 2] });
    expect(readFileSync(path, 'utf8')).toBe('{\n  "model": "ae",\n  "epochs": [\n    1,\n    2\n  ]\n}\n');
    expect(await readJsonFile(path)).toEqual({ model: 'ae', epochs: [1, 2] });
  });

  it('reports a missing or malformed JSON file clearly', async () => {
    await expect(readJsonFile(join(dir, 'none.json'))).rejects.toThrow(/none\.json does not exist/);
    writeFileSync(join(dir, 'bad.json'), '{"a": ');
    await expect(readJsonFile(join(dir, 'bad.json'))).rejects.toThrow(/bad\.json is not valid JSON/);
  });

  it('appends JSON lines and drops only a torn last line', async () => {
    const path = join(dir, 'metrics.jsonl');
    await appendJsonLine(path, { epoch: 1, loss: 0.5 });
    await appendJsonLine(path, { epoch: 2, loss: 0.25 });
    expect(readFileSync(path, 'utf8')).toBe('{"epoch":1,"loss":0.5}\n{"epoch":2,"loss":0.25}\n');
    writeFileSync(path, readFileSync(path, 'utf8') + '{"epoch":3,"lo');
    expect(await readJsonLines(path)).toEqual([{ epoch: 1, loss: 0.5 }, { epoch: 2, loss: 0.25 }]);
    writeFileSync(path, '{"epoch":1}\nnot json\n{"epoch":3}\n');
    await expect(readJsonLines(path)).rejects.toThrow(/metrics\.jsonl:2 is not valid JSON/);
  });
});

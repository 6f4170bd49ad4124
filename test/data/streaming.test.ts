// Data sets streamed from their files (docs/data.md, "Data larger than memory") against the same
// files read whole: the same values and labels, the same batches in the same shuffled order, the
// same training losses to the bit, the same errors, and no file left open afterwards.
import { mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import type { IRInput } from '../../ir/types.js';
import { closeDataset, encodeIdx, loadDataset, readSamples, type Dataset, type LoadOptions } from '../../runtime/data/index.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { Random } from '../../runtime/random.js';
import { train } from '../../runtime/train/train.js';
import { adam, mlpAutoencoder, mseTerm, phase } from '../runtime/ir-builders.js';
import { useCpu } from '../runtime/setup.js';
import { imageInput, labelInput, valuesOf } from './inputs.js';
import { npyBytes } from './npy-bytes.js';
import { useTempDir } from './temp-dir.js';

beforeAll(useCpu);

const COUNT = 37;
const WIDTH = 8;

/** Paths this process holds open (Linux: /proc/self/fd), to show that nothing stays open. */
function openFiles(): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return [];
    }
  });
}

/** The data files of every format, COUNT samples of WIDTH values, and labels 0..2. */
function writeFiles(dir: string): void {
  const r = new Random(11);
  const pixels = Uint8Array.from({ length: COUNT * WIDTH }, () => r.int(256));
  const values = Float32Array.from({ length: COUNT * WIDTH }, () => r.next());
  const labels = Int32Array.from({ length: COUNT }, (_, i) => i % 3);
  writeFileSync(join(dir, 'pixels.idx'), encodeIdx(pixels, [COUNT, 2, 4], 'uint8'));
  writeFileSync(join(dir, 'values.idx'), encodeIdx(values, [COUNT, WIDTH], 'float32'));
  writeFileSync(join(dir, 'values-idx.gz'), gzipSync(encodeIdx(values, [COUNT, WIDTH], 'float32')));
  writeFileSync(join(dir, 'shorts.idx'), encodeIdx(pixels, [COUNT, WIDTH], 'int16'));
  writeFileSync(join(dir, 'labels.idx'), encodeIdx(labels, [COUNT], 'uint8'));
  writeFileSync(join(dir, 'values.npy'), encodeNpy(values, [COUNT, WIDTH]));
  writeFileSync(join(dir, 'pixels.npy'), npyBytes('|u1', [COUNT, WIDTH], pixels));
  const bigEndian = new Uint8Array(COUNT * WIDTH * 8);
  values.forEach((v, i) => new DataView(bigEndian.buffer).setFloat64(i * 8, v, false));
  writeFileSync(join(dir, 'big-endian.npy'), npyBytes('>f8', [COUNT, WIDTH], bigEndian));
  writeFileSync(join(dir, 'labels.npy'), npyBytes('<i8', [COUNT], new Uint8Array(BigInt64Array.from(labels, (l) => BigInt(l)).buffer)));
  const row = (i: number) => [...values.subarray(i * WIDTH, (i + 1) * WIDTH)].map((v, j) => (j % 2 ? `"${v}"` : `${v}`));
  const csv = ['"a, first",b,c,d,e,f,g,h,label', ...Array.from({ length: COUNT }, (_, i) => [...row(i), labels[i]].join(','))];
  writeFileSync(join(dir, 'values.csv'), csv.join('\r\n') + '\r\n');
  writeFileSync(join(dir, 'pixels.csv'), Array.from({ length: COUNT }, (_, i) => [...pixels.subarray(i * WIDTH, (i + 1) * WIDTH)].join(';')).join('\n'));
}

const CASES: { source: string; input: IRInput; labels?: boolean }[] = [
  { source: 'pixels.idx,labels.idx', input: imageInput([2, 4, 1], [-1, 1]), labels: true },
  { source: 'values.idx', input: imageInput([WIDTH], [0, 1]) },
  { source: 'values-idx.gz', input: imageInput([WIDTH], [0, 1]) },
  { source: 'shorts.idx', input: imageInput([WIDTH], [0, 1]) },
  { source: 'values.npy,labels.npy', input: imageInput([WIDTH]), labels: true },
  { source: 'pixels.npy', input: imageInput([WIDTH], [0, 1]) },
  { source: 'big-endian.npy', input: imageInput([WIDTH], [0, 1]) },
  { source: 'values.csv#label=label', input: imageInput([WIDTH], [0, 1]), labels: true },
  { source: 'csv:pixels.csv#delimiter=;', input: imageInput([WIDTH], [-1, 1]) },
];

describe('streamed data sets', () => {
  const tempDir = useTempDir();

  it('hold the same values and labels as the same files read whole, under a limit too', async () => {
    const dir = tempDir();
    writeFiles(dir);
    for (const { source, input, labels } of CASES) {
      for (const limit of [undefined, 20]) {
        const options: LoadOptions = { cwd: dir, ...(limit ? { limit } : {}), ...(labels ? { labelsInput: labelInput(3) } : {}) };
        const held = await loadDataset(source, input, { ...options, stream: false });
        const streamed = await loadDataset(source, input, { ...options, stream: true });
        expect([source, held.x !== undefined, streamed.stream !== undefined]).toEqual([source, true, true]);
        expect(streamed.count).toBe(limit ?? COUNT);
        expect(streamed.sampleShape).toEqual(held.sampleShape);
        expect(Array.from(valuesOf(streamed))).toEqual(Array.from(held.x!));
        expect(streamed.labels && Array.from(streamed.labels)).toEqual(held.labels && Array.from(held.labels));
        closeDataset(streamed);
      }
    }
    // The pixel rule applied to each sample on its own: 0..255 onto [-1, 1].
    const idx = await loadDataset('pixels.idx', imageInput([2, 4, 1], [-1, 1]), { cwd: dir, stream: true });
    expect(Math.min(...valuesOf(idx))).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...valuesOf(idx))).toBeLessThanOrEqual(1);
    closeDataset(idx);
  });

  it('give the same batches in a shuffled order, consecutive runs and single samples alike', async () => {
    const dir = tempDir();
    writeFiles(dir);
    for (const { source, input } of CASES) {
      const held = await loadDataset(source, input, { cwd: dir, stream: false });
      const streamed = await loadDataset(source, input, { cwd: dir, stream: true });
      const order = new Random(3).permutation(COUNT);
      order.set([5, 6, 7, 8], 10);
      const a = new Float32Array(16 * WIDTH);
      const b = new Float32Array(16 * WIDTH);
      readSamples(held, order, 4, 16, a);
      readSamples(streamed, order, 4, 16, b);
      expect(Array.from(b)).toEqual(Array.from(a));
      expect(Array.from(b.subarray(0, WIDTH))).toEqual(Array.from(held.x!.subarray(order[4]! * WIDTH, (order[4]! + 1) * WIDTH)));
      closeDataset(streamed);
    }
  });

  it('train to bit-identical losses, and leave no file open after training', async () => {
    const dir = tempDir();
    writeFiles(dir);
    const objective = [mseTerm()];
    const ir = mlpAutoencoder({
      inputWidth: WIDTH,
      hidden: [6],
      code: 3,
      output: 'sigmoid',
      objective,
      phases: [phase(objective, { epochs: 3, batch: 8, seed: 5, optimizer: adam(0.01) })],
    });
    for (const data of ['values.idx', 'values.npy', 'values.csv#label=label', 'pixels.idx']) {
      const losses: number[][] = [];
      for (const stream of [false, true]) {
        const runDir = join(dir, `run-${losses.length}-${data.replace(/\W/g, '')}`);
        mkdirSync(runDir);
        const result = await train({ ir, runDir, cwd: dir, data, stream });
        result.program.dispose();
        losses.push(result.metrics.map((line) => line.loss));
        expect(openFiles().filter((path) => path.startsWith(dir) || path.includes('aelang-spill-'))).toEqual([]);
      }
      expect(losses[0]!.length).toBe(3);
      expect(losses[1]).toEqual(losses[0]);
    }
  });

  it('train the same from the command line with --stream always (through a spill file for CSV) and never, and refuse another value', async () => {
    const dir = tempDir();
    writeFiles(dir);
    const objective = [mseTerm()];
    const ir = mlpAutoencoder({ inputWidth: WIDTH, code: 2, output: 'sigmoid', objective, phases: [phase(objective, { epochs: 2, batch: 8, seed: 2 })] });
    writeFileSync(join(dir, 'model.ir.json'), JSON.stringify(ir));
    const stderr: string[] = [];
    const io = { stdout: () => {}, stderr: (text: string) => void stderr.push(text), isTTY: false, cwd: dir };
    const losses = [];
    for (const when of ['never', 'always']) {
      expect(await main(['train', 'model.ir.json', '--data', 'values.csv#label=label', '--backend', 'cpu', '--stream', when, '--out', when], io)).toBe(0);
      losses.push(readFileSync(join(dir, when, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).loss));
    }
    expect(losses[0]).toHaveLength(2);
    expect(losses[1]).toEqual(losses[0]);
    // Streaming a CSV file needs a spill file: with no temporary directory, only --stream always fails.
    const tmp = process.env.TMPDIR;
    process.env.TMPDIR = join(dir, 'missing');
    try {
      expect(await main(['train', 'model.ir.json', '--data', 'values.csv#label=label', '--backend', 'cpu', '--stream', 'always', '--out', 'no-tmp'], io)).toBe(1);
      expect(stderr.join('')).toContain(`cannot create a spill file in ${join(dir, 'missing')} to stream the data set`);
      expect(await main(['train', 'model.ir.json', '--data', 'values.csv#label=label', '--backend', 'cpu', '--stream', 'never', '--out', 'held'], io)).toBe(0);
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
    }
    expect(await main(['train', 'model.ir.json', '--data', 'values.csv', '--stream', 'sometimes'], io)).toBe(2);
    expect(stderr.join('')).toContain("option '--stream' must be one of auto, always, never, got 'sometimes'");
  });

  it('name the file and sample of a value that is not finite, past the first read piece, and close the file', async () => {
    const dir = tempDir();
    const samples = 1300;
    const size = 4096; // 21 MB: the pre-pass reads 16 MB pieces
    const values = new Float32Array(samples * size).fill(0.5);
    values[1200 * size + 6] = Number.NaN;
    writeFileSync(join(dir, 'nan.npy'), encodeNpy(values, [samples, size]));
    const input = imageInput([size], [0, 1]);
    for (const stream of [false, true]) {
      await expect(loadDataset('nan.npy', input, { cwd: dir, stream })).rejects.toThrow('nan.npy: sample 1201 holds NaN (value 7 of 4096); the data must be finite');
    }
    values[1200 * size + 6] = 2;
    writeFileSync(join(dir, 'outside.npy'), encodeNpy(values, [samples, size]));
    for (const stream of [false, true]) {
      await expect(loadDataset('outside.npy', input, { cwd: dir, stream })).rejects.toThrow(
        "outside.npy: values lie in [0.5, 2] (first outside at sample 1201), outside the range [0, 1] declared by input 'x'",
      );
    }
    expect(openFiles().filter((path) => path.startsWith(dir))).toEqual([]);
  });

  it('refuse reads once closed, and stream only above the threshold by default', async () => {
    const dir = tempDir();
    writeFiles(dir);
    const streamed: Dataset = await loadDataset('values.npy', imageInput([WIDTH]), { cwd: dir, stream: true });
    expect(openFiles()).toContain(join(dir, 'values.npy'));
    closeDataset(streamed);
    closeDataset(streamed);
    expect(openFiles()).not.toContain(join(dir, 'values.npy'));
    expect(() => valuesOf(streamed)).toThrow('values.npy: the data set was closed; load it again to read it');
    const byDefault = await loadDataset('values.npy', imageInput([WIDTH]), { cwd: dir });
    expect(byDefault.x).toBeDefined();
  });
});

// Checkpoints as one unit, proven by fault injection: a run is killed at its Nth file-system
// operation, for every N (a write or an append is cut in the middle, and nothing after it happens),
// then resumed (or, when it was killed before it wrote its model, started again, which the CLI
// allows there). Every such run must end bit-identical to the uninterrupted one: the weights, the
// optimiser state, the callbacks' state, and metrics.jsonl with each epoch once.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRunDirectory, nodeRunFiles, type RunFiles } from '../../runtime/runs/index.js';
import { train, type TrainOptions } from '../../runtime/train/train.js';
import { adam, mlpAutoencoder, mseTerm, phase } from './ir-builders.js';
import { uniformDataset } from './data-helpers.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

class Killed extends Error {}

const rootCause = (error: unknown): unknown => (error instanceof Error && error.cause !== undefined ? rootCause(error.cause) : error);

/** The real file system until operation `failAt` (1-based), which is cut short; then nothing. */
function faultyFiles(failAt: number): RunFiles & { count: number } {
  let count = 0;
  const gate = () => {
    count += 1;
    if (count > failAt) throw new Killed(`operation ${count} after the kill`);
    return count === failAt;
  };
  return {
    get count() {
      return count;
    },
    async write(path, data) {
      if (gate()) {
        await nodeRunFiles.write(path, typeof data === 'string' ? data.slice(0, data.length >> 1) : data.subarray(0, data.length >> 1));
        throw new Killed(`killed writing ${path}`);
      }
      await nodeRunFiles.write(path, data);
    },
    async append(path, text) {
      if (gate()) {
        await nodeRunFiles.append(path, text.slice(0, text.length >> 1));
        throw new Killed(`killed appending to ${path}`);
      }
      await nodeRunFiles.append(path, text);
    },
    async rename(from, to) {
      if (gate()) throw new Killed(`killed before renaming ${from}`);
      await nodeRunFiles.rename(from, to);
    },
    async remove(path) {
      if (gate()) throw new Killed(`killed before removing ${path}`);
      await nodeRunFiles.remove(path);
    },
    async makeDirectory(path) {
      if (gate()) throw new Killed(`killed before creating ${path}`);
      await nodeRunFiles.makeDirectory(path);
    },
    async syncDirectory(path) {
      if (gate()) throw new Killed(`killed before syncing ${path}`);
      await nodeRunFiles.syncDirectory(path);
    },
    exists: nodeRunFiles.exists,
    list: nodeRunFiles.list,
  };
}

const objective = [mseTerm()];
// Early stopping (with its best weights) and a plateau schedule give the checkpoint callback state
// and callback tensors to carry across the kill; --epochs and --batch overrides come from run.json.
const ir = mlpAutoencoder({
  inputWidth: 8, hidden: [6], code: 3, output: 'sigmoid', tied: true, objective,
  phases: [
    phase(objective, {
      epochs: 5, batch: 16, seed: 4, optimizer: adam(0.3),
      earlyStop: { patience: 4, minDelta: 0, restoreBest: true },
      lrSchedule: { kind: 'plateau', factor: 0.5, patience: 1, min: 0, minDelta: 0, warmup: 0 },
    }),
  ],
});
const data = uniformDataset(16, 8);
const validation = uniformDataset(16, 8, 9);
const overrides = { epochs: 3, batch: 8 };
const base = (runDir: string): TrainOptions => ({ ir, runDir, cwd: runDir, dataset: data, validation });

/** Everything a resumed run must reproduce exactly (metrics without their wall-clock seconds). */
function outcome(dir: string) {
  const checkpoint = Object.fromEntries(readdirSync(join(dir, 'checkpoint')).sort().map((f) => [f, readFileSync(join(dir, 'checkpoint', f)).toString('base64')]));
  const metrics = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => ({ ...JSON.parse(l), seconds: 0 }));
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  return { checkpoint, metrics, overrides: run.overrides, steps: run.steps, leftovers: readdirSync(dir).sort() };
}

describe('a run killed at any file-system operation resumes bit-identically', () => {
  it('for every operation of a 3-epoch run', async () => {
    const straight = mkdtempSync(join(tmpdir(), 'ae-fault-'));
    const counter = faultyFiles(Number.POSITIVE_INFINITY);
    (await train({ ...base(straight), ...overrides, files: counter })).program.dispose();
    const expected = outcome(straight);
    expect(expected.metrics.map((m) => m.epoch)).toEqual([1, 2, 3]);
    expect(expected.overrides).toEqual(overrides);
    expect(expected.leftovers).toEqual(['checkpoint', 'metrics.jsonl', 'model.ir.json', 'run.json']);
    const operations = counter.count;
    expect(operations).toBeGreaterThan(30);

    for (let n = 1; n <= operations; n++) {
      const dir = mkdtempSync(join(tmpdir(), 'ae-fault-'));
      const killed = await train({ ...base(dir), ...overrides, files: faultyFiles(n) }).then(
        (r) => (r.program.dispose(), undefined),
        (e: unknown) => e,
      );
      expect(rootCause(killed), `operation ${n}`).toBeInstanceOf(Killed);
      const started = readdirSync(dir).includes('model.ir.json');
      // Without its model the run cannot be resumed; the CLI then lets a new run start in its directory.
      if (!started) expect(() => createRunDirectory(dir, 'mlp', '/', {})).not.toThrow();
      const again = await train(started ? { ...base(dir), resume: true } : { ...base(dir), ...overrides });
      again.program.dispose();
      expect(outcome(dir), `killed at operation ${n}`).toEqual(expected);
    }
  }, 120_000);
});

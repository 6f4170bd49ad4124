// run.json: what a run was (model, backend, seed, versions) and how long it took.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { writeJsonAtomic } from '../runs/index.js';

export const RUN_FILE = 'run.json';

export interface RunSummary {
  model: string;
  backend: string;
  seed: number;
  /** The --data argument the run trained on, when one replaced the phases' data. */
  data: string | null;
  /** Every command-line option that changed the run (`{ epochs: 3, data: "mnist:test" }`); {} from the library. */
  overrides: Record<string, string | number>;
  timings: { seconds: number; trainingSeconds: number; samplesPerSecond: number };
  steps: number;
  resumed: boolean;
  stoppedEarly: string[];
}

export async function writeRunSummary(dir: string, summary: RunSummary): Promise<void> {
  const versions = { aelang: await packageVersion(), tfjs: tf.version_core, node: process.versions.node };
  await writeJsonAtomic(join(dir, RUN_FILE), { ...summary, versions });
}

async function packageVersion(): Promise<string> {
  for (const candidate of ['../../package.json', '../../../package.json']) {
    try {
      return JSON.parse(await readFile(new URL(candidate, import.meta.url), 'utf8')).version as string;
    } catch {
      // runtime/train/ in the sources, dist/runtime/train/ when built.
    }
  }
  return 'unknown';
}

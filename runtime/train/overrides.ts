// Command-line overrides of a run (--seed, --epochs, --batch, --limit, --data). run.json records them
// when the run starts, and --resume trains with them again: a resumed run is the run that stopped
// (on the backend it started on, unless --backend says otherwise: backends round differently).
// Only --epochs may be given anew (to train a finished run further); another value of the others
// would train a different setup, which is refused.
import { join } from 'node:path';
import { nodeRunFiles, readJsonFile, writeJsonAtomic, type RunFiles } from '../runs/index.js';
import { TrainingError } from './errors.js';

export const RUN_FILE = 'run.json';

export interface Overrides {
  seed?: number;
  epochs?: number;
  batch?: number;
  limit?: number;
  data?: string;
}

const FLAGS = ['seed', 'epochs', 'batch', 'limit', 'data'] as const;

export function overridesOf(options: Overrides): Overrides {
  return Object.fromEntries(FLAGS.filter((flag) => options[flag] !== undefined).map((flag) => [flag, options[flag]]));
}

/** The overrides a resumed run trains with: the recorded ones, with a new --epochs. */
export function resumedOverrides(recorded: Overrides, given: Overrides): Overrides {
  for (const flag of FLAGS) {
    if (flag === 'epochs' || given[flag] === undefined || given[flag] === recorded[flag]) continue;
    const was = recorded[flag] === undefined ? `without --${flag}` : `with --${flag} ${recorded[flag]}`;
    throw new TrainingError(`cannot resume with --${flag} ${given[flag]}: the run was started ${was} (resume without it, or start a new run)`);
  }
  return { ...recorded, ...(given.epochs !== undefined ? { epochs: given.epochs } : {}) };
}

/** The overrides in a run's run.json; none when it has no run.json (killed before it wrote one). */
export async function recordedOverrides(dir: string, files: RunFiles = nodeRunFiles): Promise<Overrides | undefined> {
  const path = join(dir, RUN_FILE);
  if (!files.exists(path)) return undefined;
  const record = await readJsonFile<{ overrides?: Overrides }>(path);
  return record.overrides ?? {};
}

/** The backend a run was started on (run.json), so that --resume continues on it unless told otherwise. */
export async function recordedBackend(dir: string, files: RunFiles = nodeRunFiles): Promise<string | undefined> {
  const path = join(dir, RUN_FILE);
  if (!files.exists(path)) return undefined;
  const record = await readJsonFile<{ backend?: unknown }>(path);
  return typeof record.backend === 'string' ? record.backend : undefined;
}

/** run.json as a run starts: what it is and the overrides it trains with; completed at the end. */
export async function writeRunStart(dir: string, record: { model: string; backend: string; overrides: Overrides }, files: RunFiles = nodeRunFiles): Promise<void> {
  await writeJsonAtomic(join(dir, RUN_FILE), { ...record, data: record.overrides.data ?? null, finished: false }, files);
}

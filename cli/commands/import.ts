// `ae import RESULT -o RUN [--ir FILE]`: the way back from PyTorch. train.py (ae export --format
// pytorch) writes its weights under aelang's parameter ids and in its layouts; this pairs them with
// the model's IR (model.ir.json, which the export writes beside train.py) and makes a run directory
// that eval, encode, reconstruct, score, serve and export open like one `ae train` wrote.
import { statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { importRun } from '../../runtime/import/import-run.js';
import { createRunDirectory } from '../../runtime/runs/index.js';
import { readIRFile } from '../../runtime/tasks/load-run.js';
import { IR_FILE } from '../../runtime/train/train.js';
import { parseArgs, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { EXIT_OK, UsageError } from '../io.js';
import { reportingUserErrors } from './run-support.js';
import { commandInfo } from './info.js';

/** What train.py writes by default, looked for when RESULT is the export directory. */
const TRAINED_FILE = 'trained.safetensors';

export const importCommand: Command = {
  ...commandInfo.import,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.import.options);
    if (args.positionals.length !== 1) throw new UsageError('give one RESULT: the safetensors file train.py wrote, or the directory holding it');
    const out = stringFlag(args, 'out');
    if (out === undefined) throw new UsageError('-o RUN is required');
    const given = args.positionals[0]!;
    const info = statSync(resolve(io.cwd, given), { throwIfNoEntry: false });
    if (!info) throw new UsageError(`no file or directory '${given}'`);
    const weights = info.isDirectory() ? join(resolve(io.cwd, given), TRAINED_FILE) : resolve(io.cwd, given);
    if (info.isDirectory() && !statSync(weights, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`'${given}' holds no ${TRAINED_FILE}; name the file train.py wrote (its --out)`);
    if (!weights.endsWith('.safetensors')) throw new UsageError(`'${given}' is not a .safetensors file (train.py writes trained.safetensors)`);
    const irFlag = stringFlag(args, 'ir');
    const irFile = irFlag !== undefined ? resolve(io.cwd, irFlag) : join(dirname(weights), IR_FILE);
    if (!statSync(irFile, { throwIfNoEntry: false })?.isFile()) {
      throw new UsageError(irFlag !== undefined ? `no IR file '${irFlag}'` : `no ${IR_FILE} beside '${given}'; name the model's IR with --ir FILE (ae export writes it into the export directory)`);
    }
    return reportingUserErrors('import', io, async () => {
      const ir = await readIRFile(irFile);
      const existed = statSync(resolve(io.cwd, out), { throwIfNoEntry: false }) !== undefined;
      const runDir = createRunDirectory(out, ir.model, io.cwd);
      let imported;
      try {
        imported = await importRun(ir, weights, runDir);
      } catch (error) {
        // Nothing half-made: the directory this command created goes (one that was there stays, empty).
        if (!existed) await rm(runDir, { recursive: true, force: true });
        throw error;
      }
      const by = imported.metadata.trained_by ? ` (trained by ${imported.metadata.trained_by}${imported.metadata.processes ? ` in ${imported.metadata.processes} processes` : ''})` : '';
      io.stderr(`imported ${ir.model}: ${imported.parameters} parameters, ${imported.values} values${by} into ${out}\n`);
      return EXIT_OK;
    });
  },
};

// `ae reconstruct RUN --data SRC -o grid.png`: originals (top row) above their reconstructions.
import { resolve } from 'node:path';
import { writeImageGrid } from '../../runtime/images/index.js';
import { loadRun, reconstruct } from '../../runtime/tasks/index.js';
import { modelInputs } from '../../runtime/train/batches.js';
import { integerFlag, parseArgs, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { EXIT_INPUT_ERROR, EXIT_OK, UsageError } from '../io.js';
import { dataFor, reportingUserErrors, useBackend } from './run-support.js';

export const reconstructCommand: Command = {
  name: 'reconstruct',
  summary: 'draw samples above their reconstructions as a PNG grid',
  usage: 'ae reconstruct RUN --data SRC [-n 16] -o grid.png [--backend auto|tensorflow|webgpu|wasm|cpu]',
  async run(argv, io) {
    const args = parseArgs(argv, { data: { type: 'string' }, n: { type: 'string', short: 'n' }, out: { type: 'string', short: 'o' }, backend: { type: 'string' } });
    const out = stringFlag(args, 'out');
    const count = integerFlag(args, 'n') ?? 16;
    if (args.positionals.length !== 1) throw new UsageError('give one RUN directory');
    if (out === undefined || !out.endsWith('.png')) throw new UsageError('-o FILE.png is required');
    return reportingUserErrors('reconstruct', io, async () => {
      await useBackend(args, io);
      const run = await loadRun(resolve(io.cwd, args.positionals[0]!));
      try {
        const input = modelInputs(run.ir).data;
        const shape = input.shape.slice(1) as number[];
        const [height, width, channels] = shape.length === 3 ? shape : shape.length === 2 ? [shape[0]!, shape[1]!, 1] : imageSide(shape[0]!);
        if (channels !== 1 && channels !== 3) {
          io.stderr(`ae reconstruct: input '${input.name}' of shape [${shape.join(', ')}] is not an image (1 or 3 channels)\n`);
          return EXIT_INPUT_ERROR;
        }
        const dataset = await dataFor(run, args, io, { limit: count });
        const result = reconstruct(run.program, dataset, { count });
        const size = height! * width! * channels;
        const n = result.shape[0]!;
        const originals = Array.from({ length: n }, (_, i) => dataset.x.slice(i * size, (i + 1) * size));
        const recons = Array.from({ length: n }, (_, i) => result.values.slice(i * size, (i + 1) * size));
        await writeImageGrid(resolve(io.cwd, out), [originals, recons], { height: height!, width: width!, channels, range: input.range ?? [0, 1] });
        io.stderr(`wrote ${n} originals and reconstructions to ${out}\n`);
        return EXIT_OK;
      } finally {
        run.program.dispose();
      }
    });
  },
};

/** A flat input drawn as a square grey image when its width is a square (784 → 28×28). */
function imageSide(width: number): [number, number, 1 | 0] {
  const side = Math.round(Math.sqrt(width));
  return side * side === width ? [side, side, 1] : [1, width, 1];
}

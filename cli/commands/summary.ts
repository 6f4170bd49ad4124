// `ae summary FILE [--model NAME] [--format text|json]`: layers, output shapes and parameter counts.
import { renderSummaryJson, renderSummaryText } from '../../compiler/check/summary.js';
import { bytesFlag, oneOfFlag, parseArgs, stringFlag } from '../args.js';
import { checkSpecArgument } from '../paths.js';
import type { Command } from '../command.js';
import { EXIT_INPUT_ERROR, EXIT_OK, UsageError } from '../io.js';
import { loadAnalysis } from './load-models.js';
import { commandInfo } from './info.js';

export const summaryCommand: Command = {
  ...commandInfo.summary,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.summary.options);
    const format = oneOfFlag(args, 'format', ['text', 'json'] as const) ?? 'text';
    const [file, ...extra] = args.positionals;
    if (file === undefined) throw new UsageError('no FILE given');
    if (extra.length > 0) throw new UsageError(`one FILE at a time, got also '${extra.join("', '")}'`);
    checkSpecArgument(file, io.cwd);
    const analysis = await loadAnalysis(file, io, { model: stringFlag(args, 'model'), color: args.flags.color, memoryLimit: bytesFlag(args, 'max-memory'), keep: 'models' });
    if (!analysis) return EXIT_INPUT_ERROR;
    if (format === 'json') io.stdout(renderSummaryJson(analysis.models));
    else io.stdout(analysis.models.map(renderSummaryText).join('\n'));
    return EXIT_OK;
  },
};

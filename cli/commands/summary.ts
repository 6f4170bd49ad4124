// `ae summary FILE [--model NAME] [--format text|json]`: layers, output shapes and parameter counts.
import { renderSummariesJson, renderSummaryText, summarize, type ModelSummary } from '../../compiler/check/summary.js';
import { bytesFlag, oneOfFlag, parseArgs, stringFlag } from '../args.js';
import { checkSpecArgument } from '../paths.js';
import type { Command } from '../command.js';
import { EXIT_INPUT_ERROR, EXIT_OK, UsageError } from '../io.js';
import { loadAnalysis } from './load-models.js';
import type { CheckedModel } from '../../compiler/check/model.js';
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
    // Each model's table is made as soon as it is checked, and the model left to the collector.
    const summaries: ModelSummary[] = [];
    const tables: string[] = [];
    const eachModel = format === 'json' ? (m: CheckedModel) => void summaries.push(summarize(m)) : (m: CheckedModel) => void tables.push(renderSummaryText(m));
    const analysis = await loadAnalysis(file, io, { model: stringFlag(args, 'model'), color: args.flags.color, memoryLimit: bytesFlag(args, 'max-memory'), keep: 'diagnostics', eachModel });
    if (!analysis) return EXIT_INPUT_ERROR;
    io.stdout(format === 'json' ? renderSummariesJson(summaries) : tables.join('\n'));
    return EXIT_OK;
  },
};

// The properties every input must keep (issue 13): no exception escapes the front end, the checker,
// the summary, the renderer or the formatter; no input takes longer than the time limit; every
// diagnostic lies inside the file; a file that checks clean yields schema-valid IR (analyzeSource
// validates it and throws if not); and, where asked, that IR takes one training step on cpu.
import { analyzeSource } from '../../compiler/analyze.js';
import { renderSummaryText } from '../../compiler/check/summary.js';
import { formatAe } from '../../compiler/format/format.js';
import { AeSyntaxError } from '../../compiler/format/parse.js';
import { renderHuman } from '../../diagnostics/render.js';
import type { IRModel } from '../../ir/types.js';

export type FailureKind = 'exception' | 'over-time' | 'schema' | 'range' | 'runtime';

export interface Outcome {
  failure?: { kind: FailureKind; message: string };
  /** `AE2001@3:5` per diagnostic, in order. */
  codes: string[];
  /** No error diagnostics, and at least one IR. */
  clean: boolean;
  irs: IRModel[];
  /** Wall time, and the process's CPU time, which the limit applies to: on a shared machine wall
   *  time measures the neighbours as much as the compiler. */
  ms: number;
  cpuMs: number;
}

/** Trains one step of an IR (long mode only: it loads the runtime). Throws what the runtime throws. */
export type TrainOneStep = (ir: IRModel) => void;

const SCHEMA_FAILURE = /does not match the schema/;

export async function checkInput(text: string, options: { timeLimitMs: number; train?: TrainOneStep }): Promise<Outcome> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const outcome: Outcome = { codes: [], clean: false, irs: [], ms: 0, cpuMs: 0 };
  const stop = (): void => {
    const used = process.cpuUsage(cpu);
    outcome.ms = performance.now() - started;
    outcome.cpuMs = (used.user + used.system) / 1000;
  };
  const fail = (kind: FailureKind, message: string): Outcome => {
    outcome.failure ??= { kind, message };
    stop();
    return outcome;
  };
  try {
    const analysis = analyzeSource(text, 'fuzz.ae', { cwd: '/fuzz', readFile: () => undefined });
    outcome.codes = analysis.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.column}`);
    for (const d of analysis.diagnostics) {
      if (d.file !== 'fuzz.ae') continue;
      const { start, end } = d.range;
      if (start.offset < 0 || start.offset > end.offset || end.offset > text.length) return fail('range', `${d.code} range ${start.offset}-${end.offset} outside the file of ${text.length}`);
    }
    renderHuman(analysis.diagnostics, analysis.sources, { color: false });
    for (const model of analysis.models) renderSummaryText(model);
    outcome.irs = analysis.irs;
    outcome.clean = analysis.irs.length > 0 && !analysis.diagnostics.some((d) => d.severity === 'error');
    if (!analysis.diagnostics.some((d) => d.severity === 'error' && d.code.startsWith('AE1'))) {
      try {
        await formatAe(text);
      } catch (error) {
        if (!(error instanceof AeSyntaxError)) throw error;
      }
    }
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return fail(SCHEMA_FAILURE.test(message) ? 'schema' : 'exception', message);
  }
  stop();
  if (outcome.cpuMs > options.timeLimitMs) return fail('over-time', `took ${outcome.cpuMs.toFixed(0)} ms of CPU, ${outcome.ms.toFixed(0)} ms wall (limit ${options.timeLimitMs} ms)`);
  if (options.train && outcome.clean) {
    for (const ir of outcome.irs) {
      try {
        options.train(ir);
      } catch (error) {
        return fail('runtime', `${ir.model}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      }
    }
  }
  return outcome;
}
